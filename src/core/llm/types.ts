// One provider interface over both SDKs (Anthropic Messages, OpenAI Chat Completions and any
// OpenAI-compatible endpoint). The assistant talks to this, never to an SDK directly.

export type Role = 'user' | 'assistant' | 'tool';

export interface ToolCall {
  id: string;
  name: string;
  /** The raw JSON text of the arguments, exactly as the model produced it (validated later). */
  arguments: string;
}

export interface ChatMessage {
  role: Role;
  content: string;
  /** On assistant messages: the tool calls it made. */
  toolCalls?: ToolCall[];
  /** On tool messages: which call this answers. */
  toolCallId?: string;
}

export interface ToolSpec {
  name: string;
  description: string;
  /** JSON Schema of the arguments (z.toJSONSchema of the zod schema). */
  parameters: Record<string, unknown>;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
}

export type StreamEvent =
  { type: 'text'; delta: string } | { type: 'tool-call'; call: ToolCall } | { type: 'usage'; usage: Usage } | { type: 'retry'; attempt: number; waitMs: number; reason: string };

export interface CompletionRequest {
  system: string;
  messages: ChatMessage[];
  tools?: ToolSpec[];
  maxTokens?: number;
  temperature?: number;
  /** Cancels the call (Ctrl-C). */
  signal?: AbortSignal;
}

export interface CompletionResult {
  text: string;
  toolCalls: ToolCall[];
  usage: Usage;
  /** end_turn / tool_use / stop / tool_calls / length … as the API said it. */
  stopReason: string;
  model: string;
  /** From the price table; null when the model's price is unknown (local models). */
  costUsd: number | null;
}

export interface Provider {
  readonly id: 'anthropic' | 'openai';
  readonly model: string;
  /** Streams one completion; events arrive as they stream; resolves with the whole result. */
  complete(request: CompletionRequest, onEvent?: (event: StreamEvent) => void): Promise<CompletionResult>;
}

export interface ProviderConfig {
  provider: 'anthropic' | 'openai' | 'offline';
  model: string;
  /** The SDK's base URL (any OpenAI-compatible endpoint: Ollama, llama.cpp, vLLM). */
  baseURL?: string;
  apiKey?: string;
  /** Anthropic only: a bearer token (ANTHROPIC_AUTH_TOKEN) instead of an API key. */
  authToken?: string;
  /** Per attempt: the longest silence allowed (before the first byte and between stream events). */
  timeoutMs: number;
  /** Retries on 429 and 5xx, honouring retry-after. */
  maxRetries: number;
  maxTokens: number;
  /** First backoff step (doubles per retry, with jitter); default 500 ms. */
  retryBaseMs?: number;
  /** Longest single wait, whatever retry-after says; default 30 s. */
  retryMaxWaitMs?: number;
  /** Said once to the user when the choice was made for them (e.g. no API key: offline). */
  notice?: string;
}
