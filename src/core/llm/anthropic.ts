// Anthropic Messages over @anthropic-ai/sdk, streamed. Raw events (create({stream:true})) rather
// than MessageStream: tool arguments must reach the caller as the raw text the model wrote,
// even when it is not JSON, and a stream without message_stop must be an error.
import Anthropic from '@anthropic-ai/sdk';
import type { MessageParam, ContentBlockParam, RawMessageStreamEvent, Tool } from '@anthropic-ai/sdk/resources/messages/messages';
import { costOf } from './cost.js';
import { LlmError, credentialOf, toLlmError } from './errors.js';
import { withRetry, retryOptions, type AttemptContext } from './retry.js';
import type { ChatMessage, CompletionRequest, CompletionResult, Provider, ProviderConfig, StreamEvent, ToolCall, ToolSpec, Usage } from './types.js';

const LABEL = 'anthropic';

export function createAnthropicProvider(config: ProviderConfig): Provider {
  const client = new Anthropic({
    // One credential, never read from the environment by the SDK itself: what config chose.
    apiKey: config.authToken ? null : (config.apiKey ?? null),
    authToken: config.authToken ?? null,
    ...(config.baseURL ? { baseURL: config.baseURL } : {}),
    maxRetries: 0,
    logLevel: 'off',
  });
  return {
    id: 'anthropic',
    model: config.model,
    complete(request, onEvent) {
      return withRetry((ctx) => attempt(client, config, request, ctx, onEvent), retryOptions(LABEL, config, request, onEvent));
    },
  };
}

async function attempt(client: Anthropic, config: ProviderConfig, request: CompletionRequest, ctx: AttemptContext, onEvent?: (event: StreamEvent) => void): Promise<CompletionResult> {
  const tools = request.tools?.length ? request.tools.map(toTool) : undefined;
  const stream = await client.messages.create(
    {
      model: config.model,
      max_tokens: request.maxTokens ?? config.maxTokens,
      system: request.system,
      messages: toMessages(request.messages),
      ...(tools ? { tools } : {}),
      stream: true,
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
  let stopped = false;
  const usage: Usage = { inputTokens: 0, outputTokens: 0 };
  const calls: ToolCall[] = [];
  const open = new Map<number, ToolCall>(); // tool_use blocks still receiving input_json_delta

  try {
    for await (const ev of stream as AsyncIterable<RawMessageStreamEvent>) {
      ctx.alive();
      switch (ev.type) {
        case 'message_start':
          model = ev.message.model || model;
          addUsage(usage, ev.message.usage);
          break;
        case 'content_block_start':
          if (ev.content_block.type === 'tool_use') {
            open.set(ev.index, { id: ev.content_block.id, name: ev.content_block.name, arguments: '' });
          } else if (ev.content_block.type === 'text' && ev.content_block.text) {
            text += ev.content_block.text;
            emit({ type: 'text', delta: ev.content_block.text });
          }
          break;
        case 'content_block_delta':
          if (ev.delta.type === 'text_delta') {
            text += ev.delta.text;
            emit({ type: 'text', delta: ev.delta.text });
          } else if (ev.delta.type === 'input_json_delta') {
            const call = open.get(ev.index);
            if (call) call.arguments += ev.delta.partial_json;
          }
          break;
        case 'content_block_stop': {
          const call = open.get(ev.index);
          if (call) {
            open.delete(ev.index);
            // A tool with no input streams no deltas at all.
            if (call.arguments === '') call.arguments = '{}';
            calls.push(call);
            emit({ type: 'tool-call', call });
          }
          break;
        }
        case 'message_delta':
          if (ev.delta.stop_reason) stopReason = ev.delta.stop_reason;
          addUsage(usage, ev.usage);
          break;
        case 'message_stop':
          stopped = true;
          break;
      }
    }
  } catch (e) {
    if (ctx.signal.aborted) throw e;
    const err = toLlmError(e, LABEL, credentialOf(config));
    if (err.kind !== 'network') throw err;
    throw new LlmError('stream-cut', `${LABEL} stream broke off before the end of the answer`);
  }
  if (ctx.signal.aborted) throw new Error('aborted'); // the SDK ends the loop quietly on abort
  if (!stopped) throw new LlmError('stream-cut', `${LABEL} stream ended before message_stop`);

  onEvent?.({ type: 'usage', usage });
  return { text, toolCalls: calls, usage, stopReason, model, costUsd: costOf(model, usage) };
}

/** message_start carries input and cache counts; message_delta carries cumulative counts. */
function addUsage(usage: Usage, u: { input_tokens?: number | null; output_tokens?: number | null; cache_read_input_tokens?: number | null; cache_creation_input_tokens?: number | null }): void {
  if (typeof u.input_tokens === 'number') usage.inputTokens = u.input_tokens;
  if (typeof u.output_tokens === 'number') usage.outputTokens = u.output_tokens;
  // Cache counts only when there were some, so a plain call reads { inputTokens, outputTokens }.
  if (u.cache_read_input_tokens) usage.cacheReadTokens = u.cache_read_input_tokens;
  if (u.cache_creation_input_tokens) usage.cacheWriteTokens = u.cache_creation_input_tokens;
}

function toTool(t: ToolSpec): Tool {
  return { name: t.name, description: t.description, input_schema: t.parameters as Tool['input_schema'] };
}

/**
 * ChatMessage → Messages API turns. Tool results travel as tool_result blocks in a user turn,
 * and neighbouring turns of one role are merged (all results of a turn must sit together).
 */
export function toMessages(messages: ChatMessage[]): MessageParam[] {
  const out: Array<{ role: 'user' | 'assistant'; content: ContentBlockParam[] }> = [];
  for (const m of messages) {
    const role = m.role === 'assistant' ? 'assistant' : 'user';
    const blocks: ContentBlockParam[] = [];
    if (m.role === 'tool') {
      blocks.push({ type: 'tool_result', tool_use_id: m.toolCallId ?? '', content: m.content });
    } else {
      if (m.content) blocks.push({ type: 'text', text: m.content });
      for (const c of m.toolCalls ?? []) blocks.push({ type: 'tool_use', id: c.id, name: c.name, input: parseInput(c.arguments) });
    }
    const last = out[out.length - 1];
    if (last && last.role === role) last.content.push(...blocks);
    else out.push({ role, content: blocks });
  }
  return out;
}

/** The API wants an object; arguments the model garbled go back as {} (the tool_result says why). */
function parseInput(args: string): unknown {
  try {
    const v: unknown = JSON.parse(args);
    return v && typeof v === 'object' && !Array.isArray(v) ? v : {};
  } catch {
    return {};
  }
}
