// The one retry loop both providers share. The SDKs' own retries are off (maxRetries: 0) so
// that waits are visible (a 'retry' event), honour retry-after, and stop at once on Ctrl-C.
import type { CompletionRequest, ProviderConfig, StreamEvent } from './types.js';
import { LlmError, credentialOf, isRetryable, toLlmError } from './errors.js';

export interface AttemptContext {
  /** Aborts when the caller cancels or the attempt has been silent for timeoutMs. */
  signal: AbortSignal;
  /** Bytes arrived: restart the silence timer. */
  alive(): void;
  /** Something reached the caller (a token, a tool call): a failure after this is not retried. */
  delivered(): void;
}

export interface RetryOptions {
  /** 'anthropic' or 'openai', for messages. */
  label: string;
  maxRetries: number;
  timeoutMs: number;
  baseMs?: number;
  maxWaitMs?: number;
  signal?: AbortSignal;
  onRetry?: (retry: { attempt: number; waitMs: number; reason: string }) => void;
  /** Scrubbed from any message quoted from the server. */
  secret?: string;
}

export async function withRetry<T>(run: (ctx: AttemptContext) => Promise<T>, opts: RetryOptions): Promise<T> {
  const base = opts.baseMs ?? 500;
  const cap = opts.maxWaitMs ?? 30_000;
  for (let attempt = 1; ; attempt++) {
    throwIfCancelled(opts);
    const idle = new AbortController();
    let timer = setTimeout(() => idle.abort(), opts.timeoutMs);
    let delivered = false;
    const signal = opts.signal ? AbortSignal.any([opts.signal, idle.signal]) : idle.signal;
    const ctx: AttemptContext = {
      signal,
      alive() {
        clearTimeout(timer);
        if (!idle.signal.aborted) timer = setTimeout(() => idle.abort(), opts.timeoutMs);
      },
      delivered() {
        delivered = true;
      },
    };
    try {
      // Raced against the signal so Ctrl-C and the timeout end the call at once, whatever
      // the SDK is waiting on.
      return await raceAbort(run(ctx), signal);
    } catch (e) {
      throwIfCancelled(opts);
      if (idle.signal.aborted) {
        throw new LlmError('timeout', `${opts.label} did not answer within ${formatMs(opts.timeoutMs)}`);
      }
      const err = toLlmError(e, opts.label, opts.secret);
      const retriesLeft = attempt <= opts.maxRetries;
      if (!isRetryable(err) || delivered) throw err;
      if (!retriesLeft) {
        throw attempt > 1 ? new LlmError(err.kind, `${err.message} (gave up after ${attempt - 1} retries)`, err.status) : err;
      }
      const waitMs = Math.min(cap, err.retryAfterMs ?? backoff(base, attempt));
      opts.onRetry?.({ attempt, waitMs, reason: reasonOf(err) });
      await sleep(waitMs, opts.signal);
      throwIfCancelled(opts);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** base·2^(n-1), with the upper half jittered so many clients do not retry in step. */
function backoff(base: number, attempt: number): number {
  const step = base * 2 ** (attempt - 1);
  return Math.round(step / 2 + Math.random() * (step / 2));
}

function reasonOf(err: LlmError): string {
  if (err.kind === 'rate-limit') return 'rate limited (429)';
  if (err.kind === 'server') return `server error (${err.status ?? 'mid-stream'})`;
  if (err.kind === 'stream-cut') return 'stream cut before any output';
  return 'connection failed';
}

function throwIfCancelled(opts: RetryOptions): void {
  if (opts.signal?.aborted) throw new LlmError('cancelled', `${opts.label} request cancelled`);
}

function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    work.catch(() => {});
    return Promise.reject(new Error('aborted'));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}

/** The retry settings of one provider call, from its config and request (the same for both SDKs). */
export function retryOptions(label: string, config: ProviderConfig, request: CompletionRequest, onEvent?: (e: StreamEvent) => void): RetryOptions {
  return {
    label,
    maxRetries: config.maxRetries,
    timeoutMs: config.timeoutMs,
    baseMs: config.retryBaseMs,
    maxWaitMs: config.retryMaxWaitMs,
    signal: request.signal,
    secret: credentialOf(config),
    onRetry: (r) => onEvent?.({ type: 'retry', ...r }),
  };
}
