// What a call cost, from a small price table. Unknown models (local ones) cost null, never 0,
// so a total never pretends to be complete.
import type { CompletionResult, Usage } from './types.js';

export interface Price {
  /** USD per million uncached input tokens. */
  input: number;
  /** USD per million output tokens. */
  output: number;
}

// USD per million tokens, list prices, looked up 2026 (verify before relying on a bill):
// - Anthropic: simonw/llm-prices data/anthropic.json; Sonnet 5.5 confirmed by the release notes
//   of uttamdeb/agent-telemetry v1.6.4 and ccdeck 3.29.11 ("Anthropic's published rate, the same
//   as Sonnet 5"); Sonnet/Haiku 4.x also by deploybase.ai's Claude pricing table (March 2026).
// - OpenAI: gpt-5 / gpt-5-mini from simonw/llm-prices data/openai.json; gpt-5.4-mini/nano from
//   the GPT-5.4 mini launch write-ups (dev.to, apidog, March 2026); gpt-5.4 from the Bifrost model
//   library; gpt-5.6 Sol/Terra/Luna from OpenAI's June 2026 preview as reported by several
//   pricing write-ups (apimaster.ai, calcaas.com, finout.io), all agreeing.
// Claude Haiku 5.5 is left out: no published figure was found.
export const PRICES: Readonly<Record<string, Price>> = {
  'claude-opus-5-5': { input: 4, output: 20 },
  'claude-sonnet-5-5': { input: 2, output: 10 },
  'claude-opus-5': { input: 5, output: 25 },
  'claude-sonnet-5': { input: 2, output: 10 },
  'claude-opus-4-8': { input: 5, output: 25 },
  'claude-opus-4-7': { input: 5, output: 25 },
  'claude-opus-4-6': { input: 5, output: 25 },
  'claude-sonnet-4-6': { input: 3, output: 15 },
  'claude-sonnet-4-5': { input: 3, output: 15 },
  'claude-haiku-4-5': { input: 1, output: 5 },
  'gpt-5.6-sol': { input: 5, output: 30 },
  'gpt-5.6-terra': { input: 2.5, output: 15 },
  'gpt-5.6-luna': { input: 1, output: 6 },
  'gpt-5.4': { input: 2.5, output: 15 },
  'gpt-5.4-mini': { input: 0.75, output: 4.5 },
  'gpt-5.4-nano': { input: 0.2, output: 1.25 },
  'gpt-5': { input: 1.25, output: 10 },
  'gpt-5-mini': { input: 0.25, output: 2 },
};

// Both vendors bill cache reads at a tenth of input; Anthropic's 5-minute cache writes at 1.25×.
const CACHE_READ = 0.1;
const CACHE_WRITE = 1.25;

/** The price of a model id, also for dated ids such as claude-haiku-4-5-20251001 or gpt-5.4-mini-2026-03-17. */
export function priceOf(model: string): Price | null {
  const exact = PRICES[model];
  if (exact) return exact;
  const undated = model.replace(/-\d{8}$/, '').replace(/-\d{4}-\d{2}-\d{2}$/, '');
  return PRICES[undated] ?? null;
}

/** USD for one call; inputTokens are the uncached ones (both providers report them that way). */
export function costOf(model: string, usage: Usage): number | null {
  const p = priceOf(model);
  if (!p) return null;
  const inputEquivalent = usage.inputTokens + (usage.cacheReadTokens ?? 0) * CACHE_READ + (usage.cacheWriteTokens ?? 0) * CACHE_WRITE;
  return (inputEquivalent * p.input + usage.outputTokens * p.output) / 1_000_000;
}

export interface MeterEntry {
  model: string;
  usage: Usage;
  costUsd: number | null;
}

export interface MeterTotal {
  calls: number;
  usage: Usage;
  /** Sum over the priced calls; null when none was priced. */
  costUsd: number | null;
  /** Calls whose model has no price (their tokens are in `usage`, their cost is not). */
  unpricedCalls: number;
}

/** Usage and cost per call and for the session. */
export class UsageMeter {
  readonly #calls: MeterEntry[] = [];

  record(result: Pick<CompletionResult, 'model' | 'usage' | 'costUsd'>): MeterEntry {
    const entry = { model: result.model, usage: { ...result.usage }, costUsd: result.costUsd };
    this.#calls.push(entry);
    return entry;
  }

  get calls(): readonly MeterEntry[] {
    return this.#calls;
  }

  total(): MeterTotal {
    const usage: Usage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
    let cost: number | null = null;
    let unpriced = 0;
    for (const c of this.#calls) {
      usage.inputTokens += c.usage.inputTokens;
      usage.outputTokens += c.usage.outputTokens;
      usage.cacheReadTokens = (usage.cacheReadTokens ?? 0) + (c.usage.cacheReadTokens ?? 0);
      usage.cacheWriteTokens = (usage.cacheWriteTokens ?? 0) + (c.usage.cacheWriteTokens ?? 0);
      if (c.costUsd === null) unpriced++;
      else cost = (cost ?? 0) + c.costUsd;
    }
    return { calls: this.#calls.length, usage, costUsd: cost, unpricedCalls: unpriced };
  }
}
