// The streaming filter behind `clawdeploy redact`: bytes in, redacted bytes out, in order.
//
// Small inputs are redacted in this thread, chunk by chunk, as they arrive. Once an input
// turns out large (`threshold` bytes read, or a file known to be large), a pool of worker
// threads starts; until one is ready this thread carries on, then the rest goes out in blocks
// of whole lines (`blockSize`, cut at a newline; a slow stream sends what it has after
// `flushMs`), to the workers, and to this thread when every worker has enough to do (with 2
// cores: one worker and this thread). Blocks finish in any order and are written in input
// order; at most `maxInFlight` are out at once and nothing is read while the output is full,
// so memory stays bounded.
//
// The PEM state (inside a multi-line key or not) is the only state that crosses a block
// boundary. A block is sent with a guess (the state now if nothing is in flight, else
// "outside a key") and comes back with its end state; when the guess turns out wrong (a key
// spanning the cut), the block is redone here from its real start state before it is written.
import { availableParallelism } from 'node:os';
import { ByteBlockRedactor } from './bytes.js';
import { BlockRedactor, addStats, newStats, type RedactStats } from './engine.js';
import type { KnownValues } from './known.js';
import { RedactPool, type BlockResult, type WorkerScript } from './pool.js';
import { ByteCutter, MAX_LINE, toBuffer } from './stream.js';

export interface ParallelOptions {
  /** Worker threads (default: one per core, but the calling thread's if it takes blocks too; 1 core: none). */
  workers?: number;
  /**
   * The pool starts right away for a file at least this large (`sizeHint`), or once a stream
   * has given this many bytes (default 64 MiB). A worker starts cold (V8 warms up over its
   * first ~10 MB, at half speed), so it only pays on large inputs: on the project's 2 cores,
   * a 50 MB log takes as long with workers as without, a 200 MB one a quarter less.
   */
  threshold?: number;
  /** Block size sent to a worker (default 1 MiB, cut at the last newline). */
  blockSize?: number;
  /** Blocks out at once (default: 2 per worker + 2). */
  maxInFlight?: number;
  /**
   * Whether the calling thread also redacts blocks, when every worker already has `perWorker`
   * (default 2) blocks to do (default true: then one worker per core but this one).
   */
  mainThread?: boolean;
  perWorker?: number;
  /** A slow stream's whole lines go out after this long (default 20 ms). */
  flushMs?: number;
  /** The worker script (tests). */
  worker?: WorkerScript;
  /** Hold the input while the pool starts instead of redacting here meanwhile (tests). */
  waitReady?: boolean;
  /** Called at the end with where the blocks went (tests, benchmarks). */
  report?: (r: ParallelReport) => void;
}

export interface ParallelReport {
  /** Blocks redacted by workers; by the calling thread (while the pool started, or full); redone there (PEM guess wrong). */
  workerBlocks: number;
  mainBlocks: number;
  redone: number;
  /** Most blocks out at once (bounded by maxInFlight). */
  maxQueued: number;
}

interface Settings {
  workers: number;
  mainThread: boolean;
  perWorker: number;
  waitReady: boolean;
  report: ((r: ParallelReport) => void) | undefined;
  threshold: number;
  blockSize: number;
  maxInFlight: number;
  flushMs: number;
  worker: WorkerScript | undefined;
}

function settings(p: ParallelOptions | false | undefined): Settings | null {
  if (p === false) return null;
  const mainThread = p?.mainThread ?? true;
  const cores = availableParallelism();
  const workers = p?.workers ?? (mainThread ? cores - 1 : cores);
  if (workers < 1 || (p?.workers === undefined && cores < 2)) return null;
  return {
    workers,
    mainThread,
    perWorker: p?.perWorker ?? 2,
    waitReady: p?.waitReady ?? false,
    report: p?.report,
    threshold: p?.threshold ?? 64 << 20,
    blockSize: p?.blockSize ?? 1 << 20,
    maxInFlight: p?.maxInFlight ?? 2 * workers + 2,
    flushMs: p?.flushMs ?? 20,
    worker: p?.worker,
  };
}

interface Block {
  result: Promise<BlockResult>;
  done: boolean;
}

export interface FilterOptions {
  known: KnownValues;
  stats: RedactStats;
  maxLine?: number | undefined;
  parallel?: ParallelOptions | false | undefined;
  /** The input's size if known (a regular file): a large one starts the pool before the first read. */
  sizeHint?: number | undefined;
}

type Wake = { kind: 'input'; r: IteratorResult<Buffer | string | Uint8Array> } | { kind: 'block' } | { kind: 'flush' } | { kind: 'ready' } | { kind: 'unavailable' };

/** Redacts a byte stream (see the top of the file); for stream.pipeline. */
export async function* redactFilter(source: AsyncIterable<Buffer | string | Uint8Array>, opts: FilterOptions): AsyncGenerator<Buffer> {
  const local = new ByteBlockRedactor(new BlockRedactor(opts.known, opts.stats));
  const pem = local.engine.pem;
  const cutter = new ByteCutter(opts.maxLine ?? MAX_LINE, opts.known);
  const par = settings(opts.parallel);
  const queue: Block[] = [];
  const report: ParallelReport = { workerBlocks: 0, mainBlocks: 0, redone: 0, maxQueued: 0 };
  let pool = null as RedactPool | null;
  let live = false;
  let seen = 0;
  let timer: NodeJS.Timeout | null = null;
  let flush: Promise<Wake> | null = null;
  let lastSend = 0;
  let lastTurn = performance.now();

  let ready = false;
  let unavailable = false;
  const start = (): void => {
    pool = new RedactPool({ size: par!.workers, setup: { known: opts.known.entries() }, ...(par!.worker ? { worker: par!.worker } : {}) });
    pool.ready.then(
      () => (ready = true),
      () => (unavailable = true),
    );
  };
  if (par && (par.threshold === 0 || (opts.sizeHint !== undefined && opts.sizeHint >= par.threshold))) start();

  const it = source[Symbol.asyncIterator]();
  const read = (): Promise<Wake> => it.next().then((r) => ({ kind: 'input', r }));
  let input: Promise<Wake> | null = read();
  input.catch(() => {});

  // This thread takes a block itself when every worker has `perWorker` blocks: it would
  // otherwise only wait. Its results go through the same queue and PEM check.
  const spare = par?.mainThread ? new ByteBlockRedactor(new BlockRedactor(opts.known, newStats())) : null;
  const here = (bytes: Buffer, guess: number): BlockResult => {
    const e = spare!.engine;
    e.stats = newStats();
    e.pem.lines = guess;
    const out = spare!.redact(bytes);
    return { out, input: bytes, pemStart: guess, pemEnd: e.pem.lines, stats: e.stats };
  };
  const send = (bytes: Buffer): void => {
    const guess = queue.length === 0 ? pem.lines : 0;
    const mine = spare !== null && !pool!.hasRoom(par!.perWorker);
    if (mine) report.mainBlocks++;
    else report.workerBlocks++;
    const block: Block = { result: mine ? Promise.resolve(here(bytes, guess)) : pool!.run(bytes, guess), done: false };
    const settle = (): void => void (block.done = true);
    block.result.then(settle, settle);
    queue.push(block);
    report.maxQueued = Math.max(report.maxQueued, queue.length);
    lastSend = performance.now();
  };
  /** The oldest block's output, redone here if it started in another PEM state than guessed. */
  const finish = async (block: Block): Promise<Buffer> => {
    const r = await block.result;
    if (r.pemStart !== pem.lines) {
      report.redone++;
      return local.redact(r.input);
    }
    addStats(opts.stats, r.stats);
    pem.lines = r.pemEnd;
    return r.out;
  };
  /** Whole lines held back by a slow stream go out flushMs after the last block did. */
  const armFlush = (ms: number): void => {
    flush = new Promise<Wake>((resolve) => {
      timer = setTimeout(() => resolve({ kind: 'flush' }), ms);
      timer.unref();
    });
  };

  try {
    for (;;) {
      while (queue.length > 0 && queue[0]!.done) yield await finish(queue.shift()!);
      // (Input that is always there would win every race against "ready".)
      if (ready) live = true;
      // Workers that cannot start (no threads here, a broken install) leave the work to this
      // thread; once blocks went to them, a failure is the run's failure.
      if (unavailable && !live && pool) {
        await pool.close();
        pool = null;
      }
      const max = par?.maxInFlight ?? 1;
      if (live) {
        for (let b: Buffer | null; queue.length < max && (b = cutter.takeBlock(par!.blockSize));) send(b);
        if (input === null && queue.length < max) {
          const rest = cutter.rest(true);
          if (rest) send(rest);
        }
      }
      // Input ended, or enough out: the oldest block next (nothing is read meanwhile).
      if (input === null || queue.length >= max) {
        if (queue.length === 0) return;
        yield await finish(queue.shift()!);
        continue;
      }
      const hold = pool !== null && !live && !unavailable && par!.waitReady;
      const waits: Array<Promise<Wake>> = hold ? [] : [input];
      if (queue.length > 0) waits.push(queue[0]!.result.then(() => ({ kind: 'block' }) as const));
      if (flush) waits.push(flush);
      if (pool && !live)
        waits.push(
          pool.ready.then(
            () => ({ kind: 'ready' }) as const,
            () => ({ kind: 'unavailable' }) as const,
          ),
        );
      const wake = await Promise.race(waits);
      if (wake.kind === 'ready') live = true;
      if (wake.kind === 'flush') {
        flush = timer = null;
        const wait = par!.flushMs - (performance.now() - lastSend);
        if (wait > 1) armFlush(wait);
        else {
          const whole = cutter.take(1, true);
          if (whole) send(whole);
        }
      }
      if (wake.kind !== 'input') continue;
      if (wake.r.done) {
        input = null;
        if (!live) {
          const rest = cutter.rest();
          if (rest) yield local.redact(rest);
        }
        continue;
      }
      input = read();
      input.catch(() => {});
      const chunk = toBuffer(wake.r.value);
      seen += chunk.length;
      cutter.push(chunk);
      if (par && !pool && !unavailable && seen >= par.threshold) start();
      if (!live) {
        const whole = cutter.take();
        if (whole) {
          if (pool) report.mainBlocks++;
          yield local.redact(whole);
        }
        // A source in memory hands chunks over without a turn of the event loop, which would
        // keep the pool's "ready" from ever arriving: give it one every few ms.
        if (pool && performance.now() - lastTurn > 5) {
          await new Promise((r) => setImmediate(r));
          lastTurn = performance.now();
        }
      } else if (cutter.pending > 0 && !flush) {
        armFlush(par!.flushMs);
      }
    }
  } finally {
    if (timer) clearTimeout(timer);
    await pool?.close();
    par?.report?.(report);
  }
}
