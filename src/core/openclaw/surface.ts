// Readers of what the real OpenClaw CLI and gateway print (verified on 2026.9.6, see
// docs/openclaw-surface.md). Each takes raw text and returns a small typed view, never throws;
// what it cannot read is null. The checks (exec/checks.ts) and the preflight build on these.

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: unknown): Json => (isObj(v) ? v : {});
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The JSON object a command printed (its whole stdout), or null. */
export function jsonObject(text: string): Json | null {
  try {
    const v: unknown = JSON.parse(text);
    return isObj(v) ? v : null;
  } catch {
    return null;
  }
}

/** The first line of a multi-line message ("Gateway not reachable …\nStart it with …"). */
export function firstLine(s: string | null): string | null {
  return (
    s
      ?.split('\n')
      .map((l) => l.trim())
      .find(Boolean) ?? null
  );
}

/** An `error` that is a string or `{type, message}` (gateway health). */
function errorText(v: unknown): string | null {
  if (typeof v === 'string') return firstLine(v);
  const e = obj(v);
  return firstLine(str(e['message'])) ?? str(e['type']);
}

/** The CLI could not authenticate: no token, or the wrong one. */
export function isAuthError(message: string | null): boolean {
  return /credentials|token mismatch|unauthorized|pair this device|gateway_credentials_required/i.test(message ?? '');
}

export interface GatewayStatus {
  rpcOk: boolean;
  /** rpc.error, first line. */
  error: string | null;
  /** The running server's version and build (rpc.server), when RPC answered. */
  serverVersion: string | null;
  buildId: string | null;
  bootId: string | null;
  /** gateway.version (null when RPC failed). */
  version: string | null;
  port: number | null;
  /** Processes listening on the gateway port (port.listeners). */
  listeners: Array<{ pid: number; commandLine: string | null }>;
}

/** `openclaw gateway status --json`. */
export function readGatewayStatus(text: string): GatewayStatus | null {
  const j = jsonObject(text);
  if (!j || !isObj(j['rpc'])) return null;
  const rpc = obj(j['rpc']);
  const server = obj(rpc['server']);
  const gw = obj(j['gateway']);
  const listeners = Array.isArray(obj(j['port'])['listeners']) ? (obj(j['port'])['listeners'] as unknown[]).filter(isObj) : [];
  return {
    rpcOk: rpc['ok'] === true,
    error: errorText(rpc['error']),
    serverVersion: str(server['version']),
    buildId: str(server['buildId']),
    bootId: str(server['bootId']),
    version: str(gw['version']),
    port: num(gw['port']),
    listeners: listeners.flatMap((l) => (num(l['pid']) !== null ? [{ pid: num(l['pid'])!, commandLine: str(l['commandLine']) }] : [])),
  };
}

export interface RuntimeStatus {
  ok: boolean;
  error: string | null;
  errorType: string | null;
  /** runtimeVersion: the version of the gateway that answered. */
  version: string | null;
  pid: number | null;
}

/**
 * `openclaw gateway call status --json`: the gateway's status object, or `{ok:false, error:{type,
 * message}}` (exit 1) when it was not reached or refused the CLI's credentials.
 */
export function readRuntimeStatus(text: string): RuntimeStatus | null {
  const j = jsonObject(text);
  if (!j) return null;
  if (j['ok'] === false) return { ok: false, error: errorText(j['error']), errorType: str(obj(j['error'])['type']), version: null, pid: null };
  const version = str(j['runtimeVersion']);
  return version ? { ok: true, error: null, errorType: null, version, pid: num(j['pid']) } : null;
}

export interface GatewayHealth {
  ok: boolean;
  error: string | null;
  errorType: string | null;
  pluginsLoaded: string[];
}

/** `openclaw gateway health --json`: `ok` says nothing about channels (it is true while one is dead). */
export function readGatewayHealth(text: string): GatewayHealth | null {
  const j = jsonObject(text);
  if (!j || typeof j['ok'] !== 'boolean') return null;
  const loaded = obj(j['plugins'])['loaded'];
  return {
    ok: j['ok'],
    error: errorText(j['error']),
    errorType: str(obj(j['error'])['type']),
    pluginsLoaded: Array.isArray(loaded) ? loaded.filter((p): p is string => typeof p === 'string') : [],
  };
}

export interface ChannelState {
  id: string;
  /** Reported by the gateway at all (channels.<id>). */
  reported: boolean;
  running: boolean | null;
  lastError: string | null;
  /** null: no probe ran (e.g. its credential is unavailable). */
  probe: { ok: boolean; status: number | null; error: string | null } | null;
  accounts: Array<{ id: string; lifecycle: string | null; running: boolean | null; connected: boolean | null; lastError: string | null }>;
  /** statusIssues naming this channel. */
  issues: string[];
}

export type ChannelsStatus =
  | { probed: true; channels: (id: string) => ChannelState }
  /** The CLI fell back to the config: the gateway was not reached (or refused its token). */
  | { probed: false; error: string | null; configured: string[] };

/** `openclaw channels status --probe --json`. */
export function readChannelsStatus(text: string): ChannelsStatus | null {
  const j = jsonObject(text);
  if (!j) return null;
  if (j['configOnly'] === true || j['gatewayReachable'] === false) {
    const configured = Array.isArray(j['configuredChannels']) ? j['configuredChannels'].filter((c): c is string => typeof c === 'string') : [];
    // gatewayAuthUnavailable: the CLI had no token at all (a wrong one says "token mismatch").
    const error = errorText(j['error']) ?? (j['gatewayAuthUnavailable'] === true ? 'gateway credentials unavailable to the CLI' : null);
    return { probed: false, error: j['gatewayAuthUnavailable'] === true && error && !isAuthError(error) ? `${error} (gateway credentials unavailable)` : error, configured };
  }
  if (!isObj(j['channels'])) return null;
  const channels = obj(j['channels']);
  const accounts = obj(j['channelAccounts']);
  const issues = Array.isArray(j['statusIssues']) ? j['statusIssues'].filter(isObj) : [];
  return {
    probed: true,
    channels: (id) => {
      const c = obj(channels[id]);
      const p = c['probe'];
      const list = Array.isArray(accounts[id]) ? (accounts[id] as unknown[]).filter(isObj) : [];
      return {
        id,
        reported: isObj(channels[id]),
        running: typeof c['running'] === 'boolean' ? c['running'] : null,
        lastError: firstLine(str(c['lastError'])),
        probe: isObj(p) ? { ok: p['ok'] === true, status: num(p['status']), error: firstLine(str(p['error'])) } : null,
        accounts: list.map((a) => ({
          id: str(a['accountId']) ?? 'default',
          lifecycle: str(a['lifecycle']),
          running: typeof a['running'] === 'boolean' ? a['running'] : null,
          connected: typeof a['connected'] === 'boolean' ? a['connected'] : null,
          lastError: firstLine(str(a['lastError'])),
        })),
        issues: issues.filter((i) => i['channel'] === id).map((i) => firstLine(str(i['message'])) ?? 'status issue'),
      };
    },
  };
}

/**
 * A channel still coming up: its probe passed (the credentials work), no status issue names it,
 * nothing is blocked or in error, but an account is not connected yet ("starting"). The gateway's
 * readiness says when it is up; a probe that ran a moment too early need not be run again.
 */
export function channelStarting(c: ChannelState): boolean {
  return (
    c.reported &&
    !c.issues.length &&
    c.probe?.ok === true &&
    c.running !== false &&
    !c.lastError &&
    c.accounts.length > 0 &&
    c.accounts.every((a) => a.lifecycle !== 'blocked' && !a.lastError && a.running !== false) &&
    c.accounts.some((a) => a.connected !== true)
  );
}

/** Why a channel does not work, or null when it does: its probe passed, every account is running and connected, no status issue names it. */
export function channelProblem(c: ChannelState): string | null {
  if (!c.reported) return 'not reported by the gateway (is its plugin loaded?)';
  if (c.issues.length) return c.issues[0]!;
  if (!c.probe) return `not probed: ${c.lastError ?? c.accounts.find((a) => a.lastError)?.lastError ?? 'configured but unavailable'}`;
  if (!c.probe.ok) return `probe failed${c.probe.status ? ` (${c.probe.status})` : ''}: ${c.probe.error ?? 'no error given'}`;
  if (c.running === false) return `stopped${c.lastError ? `: ${c.lastError}` : ''}`;
  if (!c.accounts.length) return 'no account is running';
  const bad = c.accounts.find((a) => a.running !== true || a.connected === false || a.lifecycle === 'blocked');
  if (bad) return `account ${bad.id} is ${bad.lifecycle ?? (bad.running ? 'running' : 'not running')}${bad.connected === false ? ', not connected' : ''}${bad.lastError ? `: ${bad.lastError}` : ''}`;
  return null;
}

/** `/readyz`: 200 `{ready:true}` or 503 `{ready:false, failing:[names]}`. */
export function readReadiness(body: string): { ready: boolean; failing: string[] } | null {
  const j = jsonObject(body);
  if (!j || typeof j['ready'] !== 'boolean') return null;
  const failing = Array.isArray(j['failing']) ? j['failing'].flatMap((f) => (typeof f === 'string' ? [f] : isObj(f) && str(f['id']) ? [str(f['id'])!] : [])) : [];
  return { ready: j['ready'], failing };
}

/** `openclaw --version`: "OpenClaw 2026.9.6 (eb377ac)". */
export function readVersion(text: string): { version: string; commit: string | null } | null {
  const m = /(\d{4}\.\d{1,2}\.\d{1,2}(?:[-+.][0-9A-Za-z.-]+)?)(?:\s+\(([0-9a-f]{7,40})\))?/.exec(text);
  return m ? { version: m[1]!, commit: m[2] ?? null } : null;
}
