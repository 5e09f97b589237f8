// A session recorded against the fake server replays the same with the server gone.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAnthropicProvider } from '../../src/core/llm/anthropic.js';
import { createOpenAIProvider } from '../../src/core/llm/openai.js';
import { LlmError } from '../../src/core/llm/errors.js';
import { recordingProvider, replayProvider } from '../../src/core/llm/record.js';
import type { ChatMessage, CompletionRequest, CompletionResult, Provider, ProviderConfig, StreamEvent, ToolSpec } from '../../src/core/llm/types.js';
import { loadScript, startFakeLlm } from '../helpers/fakeLlm.js';

const SECRET = 'tg-bot-token-7781:AAE-secret';
const TOOLS: ToolSpec[] = [{ name: 'read_facts', description: 'Facts for a host', parameters: { type: 'object', properties: { host: { type: 'string' } } } }];

/** Two turns: the model calls a tool, then answers with the result in hand. */
async function session(p: Provider): Promise<{ results: CompletionResult[]; events: StreamEvent[][] }> {
  const events: StreamEvent[][] = [[], []];
  const messages: ChatMessage[] = [{ role: 'user', content: `Is the bump safe? (token ${SECRET} is set)` }];
  const req = (): CompletionRequest => ({ system: 'You explain plans.', messages: [...messages], tools: TOOLS });
  const first = await p.complete(req(), (e) => events[0]!.push(e));
  messages.push({ role: 'assistant', content: first.text, toolCalls: first.toolCalls });
  messages.push({ role: 'tool', toolCallId: first.toolCalls[0]!.id, content: '{"generation":42}' });
  const second = await p.complete(req(), (e) => events[1]!.push(e));
  return { results: [first, second], events };
}

describe.each(['anthropic', 'openai'] as const)('record and replay (%s)', (api) => {
  it('replays a recorded session with the same results and events, with no server', async () => {
    const fake = await startFakeLlm(loadScript('tool-then-text'));
    const config: ProviderConfig = {
      provider: api,
      model: api === 'anthropic' ? 'claude-sonnet-5-5' : 'gpt-5.4',
      apiKey: 'sk-test-record-0000000000',
      baseURL: api === 'anthropic' ? fake.anthropicBaseURL : fake.openaiBaseURL,
      timeoutMs: 5000,
      maxRetries: 0,
      maxTokens: 512,
    };
    const live = api === 'anthropic' ? createAnthropicProvider(config) : createOpenAIProvider(config);
    const file = join(mkdtempSync(join(tmpdir(), 'clawdeploy-llm-')), 'session.json');
    const recorded = await session(recordingProvider(live, file, (t) => t.split(SECRET).join('[redacted]')));
    await fake.close();

    expect(recorded.results[0]!.toolCalls[0]!.name).toBe('read_facts');
    expect(recorded.results[1]!.text).toBe('Staging runs generation 42; the bump is safe to apply.');
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(SECRET);
    expect(text).toContain('[redacted]');
    expect(text).not.toContain(config.apiKey!);

    const replay = replayProvider(file);
    expect(replay.id).toBe(api);
    expect(replay.model).toBe(config.model);
    const replayed = await session(replay);
    expect(replayed.results).toEqual(recorded.results);
    expect(replayed.events).toEqual(recorded.events);
  });
});

describe('replayProvider checks', () => {
  async function recordOne(): Promise<string> {
    const fake = await startFakeLlm(loadScript('text'));
    const live = createOpenAIProvider({
      provider: 'openai',
      model: 'gpt-5.4',
      apiKey: 'sk-test',
      baseURL: fake.openaiBaseURL,
      timeoutMs: 5000,
      maxRetries: 0,
      maxTokens: 512,
    });
    const file = join(mkdtempSync(join(tmpdir(), 'clawdeploy-llm-')), 'one.json');
    await recordingProvider(live, file).complete({ system: 's', messages: [{ role: 'user', content: 'hi' }], tools: TOOLS });
    await fake.close();
    return file;
  }

  it('refuses a request whose tools or message count differ, and a call past the end', async () => {
    const file = await recordOne();
    const msg: ChatMessage[] = [{ role: 'user', content: 'hi' }];
    await expect(replayProvider(file).complete({ system: 's', messages: msg })).rejects.toThrow(/tools \[\] differ from the recorded \[read_facts\]/);
    await expect(replayProvider(file).complete({ system: 's', messages: [...msg, ...msg], tools: TOOLS })).rejects.toThrow(/2 messages, the recording had 1/);
    const p = replayProvider(file);
    await p.complete({ system: 's', messages: msg, tools: TOOLS });
    const err = await p.complete({ system: 's', messages: msg, tools: TOOLS }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmError);
    expect((err as LlmError).message).toMatch(/has 1 calls, call 2 was asked for/);
  });
});
