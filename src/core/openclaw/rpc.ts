// The gateway's own RPC (WebSocket, protocol 4), spoken by clawdeploy: the same methods the
// `openclaw` CLI calls (`status`, `health`, `channels.status`), without a 3-20 s Node process
// per question. The socket comes from the host's transport (a local TCP connection, or an ssh
// stdio forward to the host's loopback), so the gateway sees a loopback client, as it does the CLI.
//
// Handshake (verified on 2026.9.6, docs/openclaw-surface.md): the gateway sends
// `connect.challenge`; the client answers `connect` as a local backend client ("gateway-client",
// mode "backend") with the shared token; such a client needs no device identity and keeps its
// scopes. Then `{type:"req", id, method, params}` frames get `{type:"res", id, ok, payload|error}`.
import WebSocket from 'ws';
import type { Duplex } from 'node:stream';

export const GATEWAY_PROTOCOL = 4;

export interface RpcCall {
  method: string;
  params?: Record<string, unknown>;
}

export interface RpcError {
  /** Where it failed: no connection, the handshake (auth, still starting), or the call itself. */
  stage: 'connect' | 'handshake' | 'call';
  code: string;
  message: string;
  details?: unknown;
}

export type RpcAnswer = { ok: true; payload: unknown } | { ok: false; error: RpcError };

export interface RpcSession {
  /** The gateway's hello-ok payload (its server version and build), null when the handshake failed. */
  hello: Record<string, unknown> | null;
  /** One per call, in order. */
  answers: RpcAnswer[];
}

export interface RpcOptions {
  port: number;
  /** The gateway's shared token (null: the gateway has no token auth). */
  token: string | null;
  /** Opens a byte stream to 127.0.0.1:port on the host. */
  connect: () => Duplex;
  timeoutMs: number;
  clientVersion: string;
}

type Frame = { type: 'event'; event: string; payload?: unknown } | { type: 'res'; id: string; ok: boolean; payload?: unknown; error?: { code?: string; message?: string; details?: unknown } };

/**
 * Connects, authenticates and makes the calls in order on one connection. Never throws: a
 * failure is an answer naming its stage. Calls after a failed one are answered with that failure.
 */
export async function gatewayRpc(calls: RpcCall[], opts: RpcOptions): Promise<RpcSession> {
  const answers: RpcAnswer[] = [];
  let hello: Record<string, unknown> | null = null;
  const fail = (error: RpcError): RpcSession => {
    while (answers.length < calls.length) answers.push({ ok: false, error });
    return { hello, answers };
  };
  let ws: WebSocket;
  try {
    ws = new WebSocket(`ws://127.0.0.1:${opts.port}`, { createConnection: () => opts.connect() as never, handshakeTimeout: opts.timeoutMs, perMessageDeflate: false });
  } catch (e) {
    return fail({ stage: 'connect', code: 'CONNECT', message: (e as Error).message });
  }
  const inbox = new Inbox(ws);
  const timer = setTimeout(() => inbox.abort({ stage: 'call', code: 'TIMEOUT', message: `no answer within ${opts.timeoutMs} ms` }), opts.timeoutMs);
  try {
    const challenge = await inbox.next((f) => f.type === 'event' && f.event === 'connect.challenge', 'connect');
    if ('error' in challenge) return fail(challenge.error);
    const connected = await request(
      ws,
      inbox,
      'connect',
      {
        minProtocol: GATEWAY_PROTOCOL,
        maxProtocol: GATEWAY_PROTOCOL,
        client: { id: 'gateway-client', mode: 'backend', version: opts.clientVersion, platform: process.platform, displayName: 'clawdeploy' },
        role: 'operator',
        scopes: ['operator.read'],
        ...(opts.token ? { auth: { token: opts.token } } : {}),
      },
      'handshake',
    );
    if (!connected.ok) return fail(connected.error);
    hello = connected.payload && typeof connected.payload === 'object' ? (connected.payload as Record<string, unknown>) : {};
    for (const call of calls) answers.push(await request(ws, inbox, call.method, call.params ?? {}, 'call'));
    return { hello, answers };
  } finally {
    clearTimeout(timer);
    inbox.close();
    ws.terminate();
  }
}

let nextId = 0;

async function request(ws: WebSocket, inbox: Inbox, method: string, params: unknown, stage: RpcError['stage']): Promise<RpcAnswer> {
  const id = `clawdeploy-${process.pid}-${++nextId}`;
  ws.send(JSON.stringify({ type: 'req', id, method, params }));
  const got = await inbox.next((f) => f.type === 'res' && f.id === id, stage);
  if ('error' in got) return { ok: false, error: got.error };
  const res = got.frame as Extract<Frame, { type: 'res' }>;
  if (res.ok) return { ok: true, payload: res.payload };
  return {
    ok: false,
    error: { stage, code: res.error?.code ?? 'ERROR', message: res.error?.message ?? 'the gateway refused the request', ...(res.error?.details !== undefined ? { details: res.error.details } : {}) },
  };
}

/** The frames that arrive, handed to whoever waits for one; a closed socket ends every wait. */
class Inbox {
  private frames: Frame[] = [];
  private waiter: { match: (f: Frame) => boolean; stage: RpcError['stage']; resolve: (r: { frame: Frame } | { error: RpcError }) => void } | null = null;
  private ended: RpcError | null = null;

  constructor(ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let f: unknown;
      try {
        f = JSON.parse(String(data));
      } catch {
        return;
      }
      if (f && typeof f === 'object' && 'type' in f) this.push(f as Frame);
    });
    ws.on('error', (e: Error & { code?: string }) => this.abort({ stage: 'connect', code: e.code ?? 'CONNECT', message: e.message }));
    ws.on('unexpected-response', (_req, res) => this.abort({ stage: 'connect', code: `HTTP_${res.statusCode}`, message: `the port answered HTTP ${res.statusCode} instead of a WebSocket upgrade` }));
    ws.on('close', (code, reason) =>
      this.abort({ stage: 'handshake', code: `CLOSED_${code}`, message: `the gateway closed the connection (${code}${reason.length ? `: ${reason.toString()}` : ''})` }),
    );
  }

  next(match: (f: Frame) => boolean, stage: RpcError['stage']): Promise<{ frame: Frame } | { error: RpcError }> {
    const i = this.frames.findIndex(match);
    if (i >= 0) return Promise.resolve({ frame: this.frames.splice(i, 1)[0]! });
    if (this.ended) return Promise.resolve({ error: { ...this.ended, stage: this.ended.stage === 'handshake' ? stage : this.ended.stage } });
    return new Promise((resolve) => (this.waiter = { match, stage, resolve }));
  }

  abort(e: RpcError): void {
    if (this.ended) return;
    this.ended = e;
    const w = this.waiter;
    this.waiter = null;
    w?.resolve({ error: { ...e, stage: e.stage === 'handshake' ? w.stage : e.stage } });
  }

  close(): void {
    this.abort({ stage: 'call', code: 'CLOSED', message: 'closed' });
  }

  private push(f: Frame): void {
    const w = this.waiter;
    if (w && w.match(f)) {
      this.waiter = null;
      w.resolve({ frame: f });
    } else this.frames.push(f);
  }
}
