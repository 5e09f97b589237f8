// Record/replay decorators (after gemini-cli's recording/fake content generators): record a
// live session to a JSON transcript, then answer from it with no network — for tests and for
// reproducing a session offline.
import { readFileSync, writeFileSync } from 'node:fs';
import { LlmError } from './errors.js';
import type { ChatMessage, CompletionRequest, CompletionResult, Provider, StreamEvent, ToolSpec } from './types.js';

export interface RecordedRequest {
  system: string;
  messages: ChatMessage[];
  tools: ToolSpec[];
  maxTokens?: number;
  temperature?: number;
}

export interface RecordedCall {
  request: RecordedRequest;
  /** The text, tool-call and usage events as they streamed (retries are not replayed). */
  events: StreamEvent[];
  result: CompletionResult;
}

export interface Transcript {
  version: 1;
  provider: Provider['id'];
  model: string;
  calls: RecordedCall[];
}

/**
 * Wraps a provider so every completed call is appended to `file` (rewritten whole each time, so
 * a crash leaves the calls so far). `redact` is applied to every string in the request and the
 * result before they are written: transcripts are meant to be shared.
 */
export function recordingProvider(inner: Provider, file: string, redact: (text: string) => string = (t) => t): Provider {
  const transcript: Transcript = { version: 1, provider: inner.id, model: inner.model, calls: [] };
  return {
    id: inner.id,
    model: inner.model,
    async complete(request, onEvent) {
      const events: StreamEvent[] = [];
      const result = await inner.complete(request, (e) => {
        if (e.type !== 'retry') events.push(e);
        onEvent?.(e);
      });
      transcript.calls.push(redactCall({ request: toRecorded(request), events, result }, redact));
      writeFileSync(file, `${JSON.stringify(transcript, null, 2)}\n`);
      return result;
    },
  };
}

/** Answers call N with recorded call N, after checking it is the same conversation shape. */
export function replayProvider(file: string): Provider {
  const transcript = JSON.parse(readFileSync(file, 'utf8')) as Transcript;
  if (transcript.version !== 1 || !Array.isArray(transcript.calls)) {
    throw new LlmError('bad-response', `${file} is not a clawdeploy transcript (version 1)`);
  }
  let next = 0;
  return {
    id: transcript.provider,
    model: transcript.model,
    async complete(request, onEvent) {
      if (request.signal?.aborted) throw new LlmError('cancelled', 'replay request cancelled');
      const n = next++;
      const call = transcript.calls[n];
      if (!call) throw new LlmError('bad-response', `replay: ${file} has ${transcript.calls.length} calls, call ${n + 1} was asked for`);
      const want = call.request.tools.map((t) => t.name).join(',');
      const got = (request.tools ?? []).map((t) => t.name).join(',');
      if (want !== got) throw new LlmError('bad-response', `replay call ${n + 1}: tools [${got}] differ from the recorded [${want}]`);
      if (call.request.messages.length !== request.messages.length) {
        throw new LlmError('bad-response', `replay call ${n + 1}: ${request.messages.length} messages, the recording had ${call.request.messages.length}`);
      }
      for (const e of call.events) onEvent?.(e);
      return structuredClone(call.result);
    },
  };
}

function toRecorded(r: CompletionRequest): RecordedRequest {
  return {
    system: r.system,
    messages: r.messages,
    tools: r.tools ?? [],
    ...(r.maxTokens !== undefined ? { maxTokens: r.maxTokens } : {}),
    ...(r.temperature !== undefined ? { temperature: r.temperature } : {}),
  };
}

/** Deep copy with `redact` applied to every string. */
function redactCall<T>(value: T, redact: (text: string) => string): T {
  return JSON.parse(JSON.stringify(value), (_k, v: unknown) => (typeof v === 'string' ? redact(v) : v)) as T;
}
