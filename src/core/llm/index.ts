// The LLM layer's front door: pick a provider from a resolved config (null means offline).
import { createAnthropicProvider } from './anthropic.js';
import { createOpenAIProvider } from './openai.js';
import type { Provider, ProviderConfig } from './types.js';

export function createProvider(config: ProviderConfig): Provider | null {
  switch (config.provider) {
    case 'anthropic':
      return createAnthropicProvider(config);
    case 'openai':
      return createOpenAIProvider(config);
    case 'offline':
      return null;
  }
}

export { createAnthropicProvider } from './anthropic.js';
export { createOpenAIProvider } from './openai.js';
export { resolveProviderConfig, DEFAULT_MODELS, DEFAULTS, type ProviderFlags } from './config.js';
export { LlmError, isLlmError, type LlmErrorKind } from './errors.js';
export { UsageMeter, PRICES, priceOf, costOf, type Price, type MeterEntry, type MeterTotal } from './cost.js';
export { recordingProvider, replayProvider, type Transcript } from './record.js';
export type * from './types.js';
