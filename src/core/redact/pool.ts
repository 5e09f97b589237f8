// A small pool of worker threads that redact blocks of whole lines (see worker.ts). The pool
// only runs blocks; ordering, the PEM state across blocks and backpressure are the caller's
// (parallel.ts). The first failure fails the pool: every pending and later block rejects
// with that one error.
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import type { RedactStats } from './engine.js';
import { BUILD_DIR } from '../paths.js';

export interface WorkerSetup {
  known: Array<[value: string, label: string]>;
}

export interface BlockRequest {
  id: number;
  buf: ArrayBuffer;
  length: number;
  /** PEM state the block starts in. */
  pem: number;
}

export type BlockReply =
  { id: number; in: ArrayBuffer; out: ArrayBuffer | null; outLength: number; pem: number; stats: RedactStats } | { id: number; error: { message: string; stack?: string | undefined } };

export interface BlockResult {
  /** The redacted bytes. */
  out: Buffer;
  /** The input, handed back. */
  input: Buffer;
  /** PEM state it was redacted from, and the state it ends in. */
  pemStart: number;
  pemEnd: number;
  stats: RedactStats;
}

export interface PoolOptions {
  size: number;
  setup: WorkerSetup;
  /** The worker script; tests point it elsewhere. */
  worker?: WorkerScript;
}

export interface WorkerScript {
  url: URL;
  /** tsx's module API: load the (TypeScript) worker through it (tsx, vitest). */
  tsx?: string;
  /** Extra workerData (tests). */
  data?: Record<string, unknown>;
}

interface Slot {
  worker: Worker;
  busy: number;
  ready: boolean;
}

interface Pending {
  resolve: (r: BlockResult) => void;
  reject: (e: Error) => void;
  pemStart: number;
  length: number;
}

/**
 * The built worker (dist/redact-worker.js, an entry of the bundle). From TypeScript sources
 * (tsx, vitest) it is worker.ts, which the worker loads through tsx's API: a worker does not
 * get the loader hooks of the thread that starts it, nor --import in its execArgv (Node 20).
 */
export function defaultWorkerScript(): WorkerScript {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return { url: pathToFileURL(join(BUILD_DIR, 'redact-worker.js')) };
  const require = createRequire(here);
  const pkgPath = require.resolve('tsx/package.json');
  const pkg = require(pkgPath) as { exports: Record<string, { import: { default: string } }> };
  return { url: new URL('./worker.ts', here), tsx: pathToFileURL(join(dirname(pkgPath), pkg.exports['./esm/api']!.import.default)).href };
}

function startWorker(script: WorkerScript, workerData: unknown): Worker {
  // The worker needs none of this process's node flags (a loader such as tsx's would only
  // slow its start).
  if (!script.tsx) return new Worker(script.url, { workerData, execArgv: [] });
  const boot = `import(${JSON.stringify(script.tsx)}).then((api) => { api.register(); return import(${JSON.stringify(script.url.href)}); });`;
  return new Worker(boot, { eval: true, workerData });
}

export class RedactPool {
  /** Resolves when a worker is ready to take blocks (rejects if the pool fails first). */
  readonly ready: Promise<void>;
  private readonly slots: Slot[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failure: Error | null = null;
  private closed = false;
  private onReady!: () => void;
  private onFail!: (e: Error) => void;

  constructor(opts: PoolOptions) {
    this.ready = new Promise<void>((resolve, reject) => {
      this.onReady = resolve;
      this.onFail = reject;
    });
    this.ready.catch(() => {});
    const script = opts.worker ?? defaultWorkerScript();
    for (let i = 0; i < opts.size; i++) {
      const worker = startWorker(script, { ...script.data, ...opts.setup });
      const slot: Slot = { worker, busy: 0, ready: false };
      worker.on('message', (m: BlockReply | { ready: true }) => this.message(slot, m));
      worker.on('error', (e) => this.fail(e instanceof Error ? e : new Error(String(e))));
      worker.on('exit', (code) => {
        if (!this.closed) this.fail(new Error(`redaction worker stopped (exit code ${code})`));
      });
      this.slots.push(slot);
    }
  }

  /** Redacts one block (whole lines) starting in PEM state `pem`. Takes over `bytes`' memory. */
  run(bytes: Buffer, pem: number): Promise<BlockResult> {
    if (this.failure) return Promise.reject(this.failure);
    const own = bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.length ? bytes : copyOwned(bytes);
    const id = this.nextId++;
    const slot = this.pick();
    slot.busy++;
    return new Promise<BlockResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, pemStart: pem, length: own.length });
      const buf = own.buffer as ArrayBuffer;
      slot.worker.postMessage({ id, buf, length: own.length, pem } satisfies BlockRequest, [buf]);
    });
  }

  /** Whether a ready worker has fewer than `n` blocks to do. */
  hasRoom(n: number): boolean {
    return this.slots.some((s) => s.ready && s.busy < n);
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.fail(new Error('redaction pool closed'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  // The least busy worker, ready ones first (a block sent to a starting worker waits for it).
  private pick(): Slot {
    let best = this.slots[0]!;
    for (const s of this.slots) {
      if (s.ready !== best.ready ? s.ready : s.busy < best.busy) best = s;
    }
    return best;
  }

  private message(slot: Slot, m: BlockReply | { ready: true }): void {
    if ('ready' in m) {
      slot.ready = true;
      this.onReady();
      return;
    }
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    slot.busy--;
    if ('error' in m) {
      const e = new Error(`redaction worker: ${m.error.message}`);
      if (m.error.stack) e.stack = `${e.message}\n${m.error.stack.split('\n').slice(1).join('\n')}`;
      this.fail(e);
      p.reject(this.failure!);
      return;
    }
    const input = Buffer.from(m.in, 0, p.length);
    p.resolve({ out: m.out ? Buffer.from(m.out, 0, m.outLength) : input, input, pemStart: p.pemStart, pemEnd: m.pem, stats: m.stats });
  }

  private fail(e: Error): void {
    if (this.failure) return;
    this.failure = e;
    this.onFail(e);
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}

function copyOwned(b: Buffer): Buffer {
  const copy = Buffer.allocUnsafeSlow(b.length);
  b.copy(copy);
  return copy;
}
