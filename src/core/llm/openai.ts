// OpenAI Chat Completions over the openai SDK, streamed, for api.openai.com and any
// OpenAI-compatible endpoint (Ollama, llama.cpp, vLLM) through baseURL.
import OpenAI from 'openai';
import type { ChatCompletionChunk, ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { costOf } from './cost.js';
import { LlmError, credentialOf, toLlmError } from './errors.js';
import { withRetry, retryOptions, type AttemptContext } from './retry.js';
import type { ChatMessage, CompletionRequest, CompletionResult, Provider, ProviderConfig, StreamEvent, ToolCall, ToolSpec, Usage } from './types.js';

const LABEL = 'openai';

export function createOpenAIProvider(config: ProviderConfig): Provider {
  const client = new OpenAI({
    // Local servers need no key, but the SDK insists on one.
    apiKey: config.apiKey ?? 'no-key',
    ...(config.baseURL ? { baseURL: config.baseURL } : {}),
    maxRetries: 0,
    logLevel: 'off',
  });
  return {
    id: 'openai',
    model: config.model,
    complete(request, onEvent) {
      return withRetry((ctx) => attempt(client, config, request, ctx, onEvent), retryOptions(LABEL, config, request, onEvent));
    },
  };
}

async function attempt(client: OpenAI, config: ProviderConfig, request: CompletionRequest, ctx: AttemptContext, onEvent?: (event: StreamEvent) => void): Promise<CompletionResult> {
  const maxTokens = request.maxTokens ?? config.maxTokens;
  const stream = await client.chat.completions.create(
    {
      model: config.model,
      messages: toMessages(request.system, request.messages),
      ...(request.tools?.length ? { tools: request.tools.map(toTool) } : {}),
      // api.openai.com wants max_completion_tokens; local servers know max_tokens.
      ...(config.baseURL ? { max_tokens: maxTokens } : { max_completion_tokens: maxTokens }),
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      stream: true,
      stream_options: { include_usage: true },
    },
    { signal: ctx.signal, maxRetries: 0 },
  );
  ctx.alive();

  const emit = (event: StreamEvent) => {
    ctx.delivered();
    onEvent?.(event);
  };
  let text = '';
  let model = config.model;
  let stopReason = '';
  const usage: Usage = { inputTokens: 0, outputTokens: 0 };
  const pending = new Map<number, ToolCall>(); // tool_calls deltas, by index

  try {
    for await (const chunk of stream as AsyncIterable<ChatCompletionChunk>) {
      ctx.alive();
      if (chunk.model) model = chunk.model;
      if (chunk.usage) readUsage(usage, chunk.usage);
      const choice = chunk.choices[0];
      if (!choice) continue;
      const delta = choice.delta;
      if (delta?.content) {
        text += delta.content;
        emit({ type: 'text', delta: delta.content });
      }
      for (const d of delta?.tool_calls ?? []) {
        const call = pending.get(d.index) ?? { id: '', name: '', arguments: '' };
        if (d.id) call.id = d.id;
        if (d.function?.name) call.name += d.function.name;
        if (d.function?.arguments) call.arguments += d.function.arguments;
        pending.set(d.index, call);
      }
      if (choice.finish_reason) stopReason = choice.finish_reason;
    }
  } catch (e) {
    if (ctx.signal.aborted) throw e;
    const err = toLlmError(e, LABEL, credentialOf(config));
    if (err.kind !== 'network') throw err;
    throw new LlmError('stream-cut', `${LABEL} stream broke off before the end of the answer`);
  }
  if (ctx.signal.aborted) throw new Error('aborted'); // the SDK ends the loop quietly on abort
  // The SDK hides [DONE]; finish_reason is the sign the answer is whole (local servers may
  // send no usage chunk, so that cannot be the test).
  if (!stopReason) throw new LlmError('stream-cut', `${LABEL} stream ended before finish_reason`);

  const toolCalls = [...pending.entries()].sort(([a], [b]) => a - b).map(([i, c]) => ({ ...c, id: c.id || `call_${i}` }));
  for (const call of toolCalls) emit({ type: 'tool-call', call });
  onEvent?.({ type: 'usage', usage });
  return { text, toolCalls, usage, stopReason, model, costUsd: costOf(model, usage) };
}

/** prompt_tokens includes cached ones; Usage.inputTokens means uncached (as Anthropic counts). */
function readUsage(usage: Usage, u: NonNullable<ChatCompletionChunk['usage']>): void {
  const cached = u.prompt_tokens_details?.cached_tokens ?? 0;
  usage.inputTokens = u.prompt_tokens - cached;
  usage.outputTokens = u.completion_tokens;
  if (cached) usage.cacheReadTokens = cached;
}

function toTool(t: ToolSpec): ChatCompletionTool {
  return { type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters } };
}

export function toMessages(system: string, messages: ChatMessage[]): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = [];
  if (system) out.push({ role: 'system', content: system });
  for (const m of messages) {
    if (m.role === 'tool') {
      out.push({ role: 'tool', tool_call_id: m.toolCallId ?? '', content: m.content });
    } else if (m.role === 'assistant') {
      out.push({
        role: 'assistant',
        content: m.content || null,
        ...(m.toolCalls?.length ? { tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.arguments } })) } : {}),
      });
    } else {
      out.push({ role: 'user', content: m.content });
    }
  }
  return out;
}
