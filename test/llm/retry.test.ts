// The shared retry loop on its own: the cap on retry-after, and Ctrl-C during a backoff wait.
import { describe, expect, it } from 'vitest';
import { LlmError } from '../../src/core/llm/errors.js';
import { withRetry } from '../../src/core/llm/retry.js';

const rateLimited = (retryAfterSecs: string) => Object.assign(new Error('429 slow down'), { status: 429, headers: new Headers({ 'retry-after': retryAfterSecs }) });

describe('withRetry', () => {
  it('caps a long retry-after at maxWaitMs', async () => {
    let calls = 0;
    const waits: number[] = [];
    const t0 = Date.now();
    const r = await withRetry(
      async () => {
        if (++calls === 1) throw rateLimited('120');
        return 'ok';
      },
      { label: 'test', maxRetries: 2, timeoutMs: 1000, maxWaitMs: 50, onRetry: (e) => waits.push(e.waitMs) },
    );
    expect(r).toBe('ok');
    expect(waits).toEqual([50]);
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('stops at once when cancelled during a backoff wait', async () => {
    const ac = new AbortController();
    const t0 = Date.now();
    setTimeout(() => ac.abort(), 50);
    const err = await withRetry(
      async () => {
        throw rateLimited('10');
      },
      { label: 'test', maxRetries: 3, timeoutMs: 1000, signal: ac.signal },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmError);
    expect((err as LlmError).kind).toBe('cancelled');
    expect(Date.now() - t0).toBeLessThan(500);
  });

  it('does not retry once output reached the caller', async () => {
    let calls = 0;
    const err = await withRetry(
      async (ctx) => {
        calls++;
        ctx.delivered();
        throw Object.assign(new Error('503'), { status: 503, headers: new Headers() });
      },
      { label: 'test', maxRetries: 3, timeoutMs: 1000, baseMs: 1 },
    ).catch((e: unknown) => e);
    expect((err as LlmError).kind).toBe('server');
    expect(calls).toBe(1);
  });

  it('does not retry a 400', async () => {
    let calls = 0;
    const err = await withRetry(
      async () => {
        calls++;
        throw Object.assign(new Error('400 bad'), { status: 400, headers: new Headers() });
      },
      { label: 'test', maxRetries: 3, timeoutMs: 1000, baseMs: 1 },
    ).catch((e: unknown) => e);
    expect((err as LlmError).kind).toBe('bad-request');
    expect(calls).toBe(1);
  });
});
