// Which provider, model and key a session gets, from flags and environment.
import { describe, expect, it } from 'vitest';
import { resolveProviderConfig } from '../../src/core/llm/config.js';
import { createProvider } from '../../src/core/llm/index.js';
import { UserError } from '../../src/core/errors.js';

const A = 'sk-ant-test-aaaaaaaaaaaa';
const O = 'sk-openai-test-oooooooooo';
const T = 'oauth-test-tttttttttttttt';

describe('resolveProviderConfig', () => {
  it.each([
    ['no key, no choice → offline', {}, {}, { provider: 'offline' }],
    ['ANTHROPIC_API_KEY → anthropic, default model', {}, { ANTHROPIC_API_KEY: A }, { provider: 'anthropic', model: 'claude-sonnet-5-5', apiKey: A }],
    ['OPENAI_API_KEY → openai, default model', {}, { OPENAI_API_KEY: O }, { provider: 'openai', model: 'gpt-5.4', apiKey: O }],
    ['both keys → anthropic first', {}, { ANTHROPIC_API_KEY: A, OPENAI_API_KEY: O }, { provider: 'anthropic', apiKey: A }],
    ['flag beats env provider', { provider: 'openai' }, { CLAWDEPLOY_PROVIDER: 'anthropic', ANTHROPIC_API_KEY: A, OPENAI_API_KEY: O }, { provider: 'openai', apiKey: O }],
    ['CLAWDEPLOY_PROVIDER picks', {}, { CLAWDEPLOY_PROVIDER: 'openai', ANTHROPIC_API_KEY: A, OPENAI_API_KEY: O }, { provider: 'openai' }],
    ['model flag beats CLAWDEPLOY_MODEL', { model: 'claude-opus-5-5' }, { CLAWDEPLOY_MODEL: 'claude-haiku-4-5', ANTHROPIC_API_KEY: A }, { model: 'claude-opus-5-5' }],
    ['CLAWDEPLOY_MODEL', {}, { CLAWDEPLOY_MODEL: 'claude-haiku-4-5', ANTHROPIC_API_KEY: A }, { model: 'claude-haiku-4-5' }],
    ['ANTHROPIC_BASE_URL honoured', {}, { ANTHROPIC_API_KEY: A, ANTHROPIC_BASE_URL: 'http://proxy:8080' }, { baseURL: 'http://proxy:8080' }],
    ['base-url flag beats OPENAI_BASE_URL', { baseUrl: 'http://a/v1' }, { OPENAI_API_KEY: O, OPENAI_BASE_URL: 'http://b/v1' }, { baseURL: 'http://a/v1' }],
    [
      'a local OpenAI-compatible server needs no key',
      { provider: 'openai', baseUrl: 'http://127.0.0.1:11434/v1', model: 'qwen3:8b' },
      {},
      { provider: 'openai', model: 'qwen3:8b', baseURL: 'http://127.0.0.1:11434/v1' },
    ],
    ['a base URL alone means a local server', { baseUrl: 'http://127.0.0.1:8080/v1' }, {}, { provider: 'openai' }],
    ['explicit offline', { provider: 'offline' }, { ANTHROPIC_API_KEY: A }, { provider: 'offline' }],
    ['empty key counts as none', {}, { ANTHROPIC_API_KEY: '  ' }, { provider: 'offline' }],
    ['ANTHROPIC_AUTH_TOKEN alone → anthropic with a bearer token', {}, { ANTHROPIC_AUTH_TOKEN: T }, { provider: 'anthropic', authToken: T }],
    ['a key and a token → the key, as the SDK does', {}, { ANTHROPIC_API_KEY: A, ANTHROPIC_AUTH_TOKEN: T }, { provider: 'anthropic', apiKey: A }],
  ] as const)('%s', (_name, flags, env, want) => {
    expect(resolveProviderConfig(flags, env)).toMatchObject(want);
  });

  it('has defaults for timeout, retries and max tokens', () => {
    expect(resolveProviderConfig({}, { ANTHROPIC_API_KEY: A })).toMatchObject({ timeoutMs: 60_000, maxRetries: 3, maxTokens: 4096 });
  });

  it('says once, in a notice, that it fell back to offline; not when that was asked for', () => {
    const auto = resolveProviderConfig({}, {});
    expect(auto.notice).toBe('no API key (ANTHROPIC_API_KEY or OPENAI_API_KEY): using the offline planner');
    expect(resolveProviderConfig({ provider: 'offline' }, {}).notice).toBeUndefined();
    expect(resolveProviderConfig({}, { ANTHROPIC_API_KEY: A }).notice).toBeUndefined();
    expect(createProvider(auto)).toBeNull();
  });

  it.each([
    [{ provider: 'anthropic' }, {}, 'provider anthropic needs ANTHROPIC_API_KEY (or ANTHROPIC_AUTH_TOKEN) to be set'],
    [{ provider: 'openai' }, { ANTHROPIC_API_KEY: A }, 'provider openai needs OPENAI_API_KEY to be set'],
    [{}, { CLAWDEPLOY_PROVIDER: 'anthropic', OPENAI_API_KEY: O }, 'provider anthropic needs ANTHROPIC_API_KEY (or ANTHROPIC_AUTH_TOKEN) to be set'],
    [{ provider: 'openai', baseUrl: 'https://api.openai.com/v1' }, {}, 'provider openai needs OPENAI_API_KEY to be set'],
    [{ provider: 'gemini' }, {}, "unknown provider 'gemini': use anthropic, openai or offline"],
  ])('an explicit provider without what it needs is a one-line UserError (%j)', (flags, env, message) => {
    let err: unknown;
    try {
      resolveProviderConfig(flags, env);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe(message);
  });

  it('creates the provider the config names', () => {
    expect(createProvider(resolveProviderConfig({}, { ANTHROPIC_API_KEY: A }))?.id).toBe('anthropic');
    expect(createProvider(resolveProviderConfig({}, { OPENAI_API_KEY: O }))?.id).toBe('openai');
  });
});
