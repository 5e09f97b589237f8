// Runs a catalog action that is a gateway RPC (catalog `rpc`): reads the gateway token on the
// host from the declared secret, makes the call over a stream to the host's loopback, and hands
// the executor a result shaped like the CLI's, so one parser per check reads both
// (`openclaw gateway call status --json` prints the RPC payload as is, verified on 2026.9.6).
import { TOKEN_LOADER_SCRIPT, type GatewayCall } from '../plan/catalog.js';
import { asProfileUser } from '../plan/runAs.js';
import { gatewayRpc, type RpcError } from '../openclaw/rpc.js';
import { openTunnel } from '../transport/tunnel.js';
import type { RunResult, Transport } from '../transport/types.js';
import type { ExecContext } from './types.js';
import { packageVersion } from '../paths.js';

/** Tokens read per connection: a validation asks every 150 ms, the secret is read once. */
const tokens = new WeakMap<Transport, Map<string, string>>();
/** Reads in flight: the checks that start together (status, health, the channel probe) share one. */
const reading = new WeakMap<Transport, Map<string, Promise<string | null>>>();

/**
 * The gateway token as the gateway gets it: the declared secret file read on the host by the
 * same constant loader the CLI checks used. Null when the host declares none (no token auth, or
 * one the config holds itself) or the secret cannot be read: the gateway then refuses, and the
 * check says so. The value is masked in everything redacted from here on.
 */
async function gatewayToken(ctx: ExecContext, timeoutMs: number): Promise<string | null> {
  const t = ctx.host.gateway.token;
  if (!t) return null;
  const key = JSON.stringify(t);
  const cached = tokens.get(ctx.transport)?.get(key);
  if (cached) return cached;
  const inFlight = reading.get(ctx.transport) ?? new Map<string, Promise<string | null>>();
  reading.set(ctx.transport, inFlight);
  const pending = inFlight.get(key);
  if (pending) return pending;
  const read = readToken(ctx, t, key, timeoutMs).finally(() => inFlight.delete(key));
  inFlight.set(key, read);
  return read;
}

async function readToken(ctx: ExecContext, t: NonNullable<ExecContext['host']['gateway']['token']>, key: string, timeoutMs: number): Promise<string | null> {
  // As the gateway's user: the secret is theirs (agenix `owner`), not necessarily the ssh user's.
  const r = await ctx.transport.run(asProfileUser(ctx.host, ['sh', '-c', TOKEN_LOADER_SCRIPT, 'clawdeploy-openclaw', t.env, t.format, ...t.files, '--', 'printenv', 'OPENCLAW_GATEWAY_TOKEN']), {
    timeoutMs,
  });
  const value = r.exitCode === 0 ? r.stdout.replace(/\r?\n$/, '') : '';
  if (!value) return null;
  ctx.redactor.addKnownValue(value, 'OPENCLAW_GATEWAY_TOKEN');
  if (!tokens.has(ctx.transport)) tokens.set(ctx.transport, new Map());
  tokens.get(ctx.transport)!.set(key, value);
  return value;
}

export async function runGatewayCall(call: GatewayCall, ctx: ExecContext, timeoutMs: number): Promise<RunResult> {
  const started = performance.now();
  const token = await gatewayToken(ctx, Math.min(timeoutMs, 15_000));
  const { answers } = await gatewayRpc([{ method: call.method, params: call.params }], {
    port: call.port,
    token,
    connect: () => openTunnel(ctx.transport, call.port),
    timeoutMs,
    clientVersion: packageVersion(),
  });
  const durationMs = Math.round(performance.now() - started);
  const a = answers[0]!;
  if (a.ok) return { exitCode: 0, stdout: `${JSON.stringify(a.payload)}\n`, stderr: '', durationMs, timedOut: false };
  return {
    exitCode: 1,
    stdout: `${JSON.stringify(failureAnswer(call, a.error, token !== null))}\n`,
    stderr: `gateway RPC ${call.method}: ${a.error.message}\n`,
    durationMs,
    timedOut: a.error.code === 'TIMEOUT',
  };
}

/**
 * A failed call in the shape the CLI prints for it (docs/openclaw-surface-notes.md): `{ok:false,
 * error}` for status and health, the config-only answer for channels.status.
 */
function failureAnswer({ method, port }: GatewayCall, e: RpcError, hadToken: boolean): Record<string, unknown> {
  // The CLI's own words for a port nothing listens on.
  const message = e.stage === 'connect' && e.code === 'ECONNREFUSED' ? `Gateway not reachable at ws://127.0.0.1:${port} (ECONNREFUSED).` : e.message;
  // Without a token the gateway asks for a device identity: for a deploy tool, missing credentials.
  const noCredentials = !hadToken && e.code === 'NOT_PAIRED';
  const text = noCredentials ? `gateway ${method} requires credentials: ${message}` : message;
  if (method === 'channels.status') return { gatewayReachable: false, configOnly: true, error: text, gatewayAuthUnavailable: noCredentials };
  return { ok: false, error: { type: noCredentials ? 'gateway_credentials_required' : e.stage === 'connect' ? 'gateway_transport_error' : 'gateway_request_error', code: e.code, message: text } };
}
