// The price table and the session meter.
import { describe, expect, it } from 'vitest';
import { UsageMeter, costOf, priceOf } from '../../src/core/llm/cost.js';
import { retryAfterMs } from '../../src/core/llm/errors.js';

describe('cost', () => {
  it('prices known models, also by their dated ids; unknown (local) models are null', () => {
    expect(priceOf('claude-sonnet-5-5')).toEqual({ input: 2, output: 10 });
    expect(priceOf('claude-haiku-4-5-20251001')).toEqual({ input: 1, output: 5 });
    expect(priceOf('gpt-5.4-mini-2026-03-17')).toEqual({ input: 0.75, output: 4.5 });
    expect(priceOf('qwen3:8b')).toBeNull();
    expect(costOf('qwen3:8b', { inputTokens: 1000, outputTokens: 1000 })).toBeNull();
    expect(costOf('gpt-5.6-luna', { inputTokens: 1_000_000, outputTokens: 1_000_000 })).toBe(7);
    // cache reads at 0.1×, cache writes at 1.25× input
    expect(costOf('claude-opus-5', { inputTokens: 0, outputTokens: 0, cacheReadTokens: 1_000_000, cacheWriteTokens: 1_000_000 })).toBeCloseTo(6.75, 10);
  });

  it('meters per call and per session, keeping unpriced calls out of the cost but in the tokens', () => {
    const m = new UsageMeter();
    expect(m.total()).toMatchObject({ calls: 0, costUsd: null, unpricedCalls: 0 });
    m.record({ model: 'claude-sonnet-5-5', usage: { inputTokens: 1000, outputTokens: 100 }, costUsd: 0.003 });
    m.record({ model: 'local', usage: { inputTokens: 500, outputTokens: 50 }, costUsd: null });
    m.record({ model: 'claude-sonnet-5-5', usage: { inputTokens: 2000, outputTokens: 200, cacheReadTokens: 300 }, costUsd: 0.006 });
    expect(m.calls).toHaveLength(3);
    expect(m.calls[1]).toEqual({ model: 'local', usage: { inputTokens: 500, outputTokens: 50 }, costUsd: null });
    const t = m.total();
    expect(t.calls).toBe(3);
    expect(t.usage).toEqual({ inputTokens: 3500, outputTokens: 350, cacheReadTokens: 300, cacheWriteTokens: 0 });
    expect(t.costUsd).toBeCloseTo(0.009, 10);
    expect(t.unpricedCalls).toBe(1);
  });
});

describe('retry-after', () => {
  it('reads retry-after-ms first, then retry-after in seconds or as a date', () => {
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
    expect(retryAfterMs(new Headers({ 'retry-after': '2' }))).toBe(2000);
    const d = retryAfterMs(new Headers({ 'retry-after': new Date(Date.now() + 5000).toUTCString() }));
    expect(d).toBeGreaterThan(3000);
    expect(d).toBeLessThanOrEqual(5000);
    expect(retryAfterMs(new Headers())).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
  });
});
