// Worker thread of the redaction pool: redacts blocks of whole lines (UTF-8 bytes) handed over
// by pool.ts. Each block comes with the PEM state it starts in and goes back with the state it
// ends in, its own counts, and its input (the pool may have to redo it if the guess was wrong).
import { parentPort, workerData } from 'node:worker_threads';
import { ByteBlockRedactor } from './bytes.js';
import { BlockRedactor, newStats } from './engine.js';
import { KnownValues } from './known.js';
import type { BlockReply, BlockRequest, WorkerSetup } from './pool.js';

const port = parentPort!;
const setup = workerData as WorkerSetup;
const engine = new BlockRedactor(KnownValues.fromEntries(setup.known), newStats());
const bytes = new ByteBlockRedactor(engine);

port.on('message', (job: BlockRequest) => {
  try {
    engine.stats = newStats();
    engine.pem.lines = job.pem;
    const input = Buffer.from(job.buf, 0, job.length);
    const out = bytes.redact(input);
    const reply: BlockReply = { id: job.id, in: job.buf, out: null, outLength: out.length, pem: engine.pem.lines, stats: engine.stats };
    if (out === input) {
      port.postMessage(reply, [job.buf]);
      return;
    }
    reply.out = owned(out).buffer as ArrayBuffer;
    port.postMessage(reply, [job.buf, reply.out]);
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    port.postMessage({ id: job.id, error: { message: err.message, stack: err.stack } } satisfies BlockReply);
  }
});
port.postMessage({ ready: true });

/** A buffer that is alone on its memory, so that the memory can be handed over. */
function owned(b: Buffer): Buffer {
  if (b.byteOffset === 0 && b.buffer.byteLength === b.length) return b;
  const copy = Buffer.allocUnsafeSlow(b.length);
  b.copy(copy);
  return copy;
}
