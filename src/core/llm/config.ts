// Which model to talk to, from flags, then our env vars, then the SDKs' own. With no key and no
// explicit choice the assistant runs offline (the deterministic planner) and says so once.
import { UserError } from '../errors.js';
import type { ProviderConfig } from './types.js';

export interface ProviderFlags {
  provider?: string;
  model?: string;
  baseUrl?: string;
}

export const DEFAULT_MODELS = { anthropic: 'claude-sonnet-5-5', openai: 'gpt-5.4' } as const;
export const DEFAULTS = { timeoutMs: 60_000, maxRetries: 3, maxTokens: 4096 } as const;

const KEY_VAR = { anthropic: 'ANTHROPIC_API_KEY', openai: 'OPENAI_API_KEY' } as const;
const URL_VAR = { anthropic: 'ANTHROPIC_BASE_URL', openai: 'OPENAI_BASE_URL' } as const;
/** Anthropic also takes a bearer token (a gateway or OAuth in front of the API); a key wins, as in the SDK. */
const TOKEN_VAR = 'ANTHROPIC_AUTH_TOKEN';

export function resolveProviderConfig(flags: ProviderFlags, env: NodeJS.ProcessEnv = process.env): ProviderConfig {
  const v = (name: string) => (env[name]?.trim() ? env[name]!.trim() : undefined);
  const explicit = flags.provider ?? v('CLAWDEPLOY_PROVIDER');
  const model = flags.model ?? v('CLAWDEPLOY_MODEL');

  let provider: ProviderConfig['provider'];
  let notice: string | undefined;
  if (explicit !== undefined) {
    if (explicit !== 'anthropic' && explicit !== 'openai' && explicit !== 'offline') {
      throw new UserError(`unknown provider '${explicit}': use anthropic, openai or offline`);
    }
    provider = explicit;
  } else if (v(KEY_VAR.anthropic) || v(TOKEN_VAR)) provider = 'anthropic';
  else if (v(KEY_VAR.openai)) provider = 'openai';
  // A base URL alone means a local OpenAI-compatible server (Ollama, llama.cpp, vLLM).
  else if (flags.baseUrl) provider = 'openai';
  else {
    provider = 'offline';
    notice = 'no API key (ANTHROPIC_API_KEY or OPENAI_API_KEY): using the offline planner';
  }

  const base = { ...DEFAULTS, ...(notice ? { notice } : {}) };
  if (provider === 'offline') return { provider, model: 'offline', ...base };

  const baseURL = flags.baseUrl ?? v(URL_VAR[provider]);
  const apiKey = v(KEY_VAR[provider]);
  const authToken = provider === 'anthropic' && !apiKey ? v(TOKEN_VAR) : undefined;
  // Local OpenAI-compatible servers take no key; everything else needs one.
  const local = provider === 'openai' && baseURL !== undefined && !/^https:\/\/api\.openai\.com\b/.test(baseURL);
  if (!apiKey && !authToken && !local) throw new UserError(`provider ${provider} needs ${KEY_VAR[provider]}${provider === 'anthropic' ? ` (or ${TOKEN_VAR})` : ''} to be set`);

  return {
    provider,
    model: model ?? DEFAULT_MODELS[provider],
    ...(baseURL ? { baseURL } : {}),
    ...(apiKey ? { apiKey } : {}),
    ...(authToken ? { authToken } : {}),
    ...base,
  };
}
