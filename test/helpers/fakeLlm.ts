// A fake LLM on 127.0.0.1 that speaks both wire formats (Anthropic Messages, OpenAI Chat
// Completions; JSON and SSE), answers from a script of turns and records what it was sent.
// The real SDK clients talk to it through their baseURL: no mocks, no network.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface FakeUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens?: number;
}

export interface FakeTurn {
  reply?: {
    text?: string;
    /** A string is sent verbatim; an object is JSON-encoded. */
    toolCalls?: Array<{ name: string; arguments: string | Record<string, unknown> }>;
    usage?: FakeUsage;
    /** Defaults: end_turn / tool_use (Anthropic), stop / tool_calls (OpenAI). */
    stopReason?: string;
  };
  /**
   * rate-limit: 429 with retry-after. server-error: 500. cut: destroy the socket half way through
   * the stream. truncate: end the response cleanly half way (no message_stop / [DONE]).
   * invalid-json: each tool call's arguments lose their last character. hang: never answer.
   * auth: 401 whose message echoes the credential the client sent.
   */
  fault?: 'rate-limit' | 'server-error' | 'cut' | 'truncate' | 'invalid-json' | 'hang' | 'auth';
  /** For rate-limit: sent as retry-after-ms (and retry-after, rounded up to seconds). Default 1000. */
  retryAfterMs?: number;
  /** Pause between streamed events (to test cancellation mid-stream). */
  chunkDelayMs?: number;
}

export interface RecordedRequest {
  api: 'anthropic' | 'openai';
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
  /** The body exactly as received, to search for secrets. */
  raw: string;
}

export interface FakeLlm {
  url: string;
  /** For @anthropic-ai/sdk (it adds /v1/messages). */
  anthropicBaseURL: string;
  /** For openai (it adds /chat/completions). */
  openaiBaseURL: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const TRANSCRIPTS = fileURLToPath(new URL('../../fixtures/transcripts/', import.meta.url));

/** fixtures/transcripts/<name>.json */
export function loadScript(name: string): FakeTurn[] {
  return JSON.parse(readFileSync(`${TRANSCRIPTS}${name}.json`, 'utf8')) as FakeTurn[];
}

export async function startFakeLlm(script: FakeTurn[]): Promise<FakeLlm> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let next = 0;

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => res.destroy());
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const api = req.url?.endsWith('/messages') ? 'anthropic' : req.url?.endsWith('/chat/completions') ? 'openai' : null;
    if (req.method !== 'POST' || !api) return sendJson(res, 404, { error: { type: 'not_found_error', message: `no route ${req.url}` } });
    const body = JSON.parse(raw) as Record<string, unknown>;
    requests.push({ api, path: req.url ?? '', headers: req.headers, body, raw });

    const turn = script[next++];
    if (!turn) return sendJson(res, 500, errorBody(api, 'api_error', 'fake LLM: script exhausted'));
    switch (turn.fault) {
      case 'hang':
        return; // the socket stays open until the client gives up or close() runs
      case 'rate-limit': {
        const ms = turn.retryAfterMs ?? 1000;
        res.setHeader('retry-after-ms', String(ms));
        res.setHeader('retry-after', String(Math.ceil(ms / 1000)));
        return sendJson(res, 429, errorBody(api, 'rate_limit_error', 'fake LLM: slow down'));
      }
      case 'auth': {
        // Echoes the credential it got, as a careless proxy might: the client must not repeat it.
        const cred = req.headers.authorization ?? req.headers['x-api-key'] ?? '';
        return sendJson(res, 401, errorBody(api, 'authentication_error', `invalid credential ${String(cred)}`));
      }
      case 'server-error':
        return sendJson(res, 500, errorBody(api, 'api_error', 'fake LLM: internal error'));
    }
    const model = typeof body.model === 'string' ? body.model : 'fake-model';
    const events = api === 'anthropic' ? anthropicEvents(turn, model) : openaiEvents(turn, model);
    if (body.stream !== true) return sendJson(res, 200, api === 'anthropic' ? anthropicJson(turn, model) : openaiJson(turn, model));

    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const cutAt = turn.fault === 'cut' || turn.fault === 'truncate' ? Math.floor(events.length / 2) : events.length;
    for (let i = 0; i < cutAt; i++) {
      if (res.destroyed) return;
      res.write(events[i]);
      if (turn.chunkDelayMs) await sleep(turn.chunkDelayMs);
    }
    if (turn.fault === 'cut') {
      // Half an event on the wire, then the connection dies.
      res.write('data: {"type":"content_bl');
      await sleep(10);
      res.socket?.destroy();
      return;
    }
    res.end();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    anthropicBaseURL: url,
    openaiBaseURL: `${url}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

// ---- Anthropic Messages ----

function anthropicEvents(turn: FakeTurn, model: string): string[] {
  const r = turn.reply ?? {};
  const usage = r.usage ?? { inputTokens: 10, outputTokens: 5 };
  const calls = toolArgs(turn);
  const sse = (type: string, data: Record<string, unknown>) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  const out = [
    sse('message_start', {
      message: {
        id: 'msg_fake',
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: usage.inputTokens, output_tokens: 1, cache_read_input_tokens: usage.cacheReadTokens ?? 0, cache_creation_input_tokens: 0 },
      },
    }),
  ];
  let index = 0;
  if (r.text) {
    out.push(sse('content_block_start', { index, content_block: { type: 'text', text: '' } }));
    for (const piece of pieces(r.text)) out.push(sse('content_block_delta', { index, delta: { type: 'text_delta', text: piece } }));
    out.push(sse('content_block_stop', { index }));
    index++;
  }
  for (const [i, c] of calls.entries()) {
    out.push(sse('content_block_start', { index, content_block: { type: 'tool_use', id: `toolu_fake_${i}`, name: c.name, input: {} } }));
    for (const piece of pieces(c.args)) out.push(sse('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: piece } }));
    out.push(sse('content_block_stop', { index }));
    index++;
  }
  out.push(
    sse('message_delta', {
      delta: { stop_reason: r.stopReason ?? (calls.length ? 'tool_use' : 'end_turn'), stop_sequence: null },
      usage: { output_tokens: usage.outputTokens },
    }),
  );
  out.push(sse('message_stop', {}));
  return out;
}

function anthropicJson(turn: FakeTurn, model: string): Record<string, unknown> {
  const r = turn.reply ?? {};
  const usage = r.usage ?? { inputTokens: 10, outputTokens: 5 };
  const calls = toolArgs(turn);
  return {
    id: 'msg_fake',
    type: 'message',
    role: 'assistant',
    model,
    content: [...(r.text ? [{ type: 'text', text: r.text }] : []), ...calls.map((c, i) => ({ type: 'tool_use', id: `toolu_fake_${i}`, name: c.name, input: safeParse(c.args) }))],
    stop_reason: r.stopReason ?? (calls.length ? 'tool_use' : 'end_turn'),
    stop_sequence: null,
    usage: { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens },
  };
}

// ---- OpenAI Chat Completions ----

function openaiEvents(turn: FakeTurn, model: string): string[] {
  const r = turn.reply ?? {};
  const usage = r.usage ?? { inputTokens: 10, outputTokens: 5 };
  const calls = toolArgs(turn);
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    `data: ${JSON.stringify({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 0, model, choices, ...extra })}\n\n`;
  const delta = (d: Record<string, unknown>, finish: string | null = null) => chunk([{ index: 0, delta: d, finish_reason: finish }]);
  const out = [delta({ role: 'assistant', content: '' })];
  for (const piece of pieces(r.text ?? '')) out.push(delta({ content: piece }));
  for (const [i, c] of calls.entries()) {
    out.push(delta({ tool_calls: [{ index: i, id: `call_fake_${i}`, type: 'function', function: { name: c.name, arguments: '' } }] }));
    for (const piece of pieces(c.args)) out.push(delta({ tool_calls: [{ index: i, function: { arguments: piece } }] }));
  }
  out.push(delta({}, r.stopReason ?? (calls.length ? 'tool_calls' : 'stop')));
  out.push(chunk([], { usage: openaiUsage(usage) }));
  out.push('data: [DONE]\n\n');
  return out;
}

function openaiJson(turn: FakeTurn, model: string): Record<string, unknown> {
  const r = turn.reply ?? {};
  const calls = toolArgs(turn);
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: 0,
    model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: r.text ?? null,
          ...(calls.length ? { tool_calls: calls.map((c, i) => ({ id: `call_fake_${i}`, type: 'function', function: { name: c.name, arguments: c.args } })) } : {}),
        },
        finish_reason: r.stopReason ?? (calls.length ? 'tool_calls' : 'stop'),
      },
    ],
    usage: openaiUsage(r.usage ?? { inputTokens: 10, outputTokens: 5 }),
  };
}

function openaiUsage(u: FakeUsage): Record<string, unknown> {
  const cached = u.cacheReadTokens ?? 0;
  return {
    prompt_tokens: u.inputTokens + cached,
    completion_tokens: u.outputTokens,
    total_tokens: u.inputTokens + cached + u.outputTokens,
    prompt_tokens_details: { cached_tokens: cached },
  };
}

// ---- shared ----

function toolArgs(turn: FakeTurn): Array<{ name: string; args: string }> {
  return (turn.reply?.toolCalls ?? []).map((c) => {
    const args = typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments);
    return { name: c.name, args: turn.fault === 'invalid-json' ? args.slice(0, -1) : args };
  });
}

/** Splits text into small pieces so a reply really streams (about 8 characters each). */
function pieces(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += 8) out.push(text.slice(i, i + 8));
  return out;
}

function errorBody(api: 'anthropic' | 'openai', type: string, message: string): Record<string, unknown> {
  return api === 'anthropic' ? { type: 'error', error: { type, message } } : { error: { type, message, code: null, param: null } };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function safeParse(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return {};
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
