// Turns the output of a validation action into a CheckResult, one small parser per action.
// Parsers read the raw output (the executor redacts the result's text afterwards); they never
// throw: output they cannot read is a failed check that says so.
import type { Host } from '../inventory/schema.js';
import type { Redactor } from '../redact/index.js';
import type { CheckResult } from './types.js';

export interface CheckInput {
  stdout: string;
  stderr: string;
  /** null when the command never ran to an exit (unreachable host). */
  exitCode: number | null;
  args: Record<string, unknown>;
  host: Host;
}

type Parser = (i: CheckInput) => CheckResult;
type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

function lastLine(text: string): string {
  return text.split('\n').map((l) => l.trim()).filter(Boolean).at(-1) ?? '';
}

/** The JSON object the CLI printed (the whole stdout), or null. */
function json(stdout: string): Json | null {
  try {
    const v: unknown = JSON.parse(stdout);
    return isObj(v) ? v : null;
  } catch {
    return null;
  }
}

function unreadable(what: string, i: CheckInput): CheckResult {
  const why = lastLine(i.stderr) || lastLine(i.stdout) || 'no output';
  return { ok: false, summary: `${what}: no JSON answer (exit ${i.exitCode ?? 'none'}): ${why}` };
}

const gatewayStatus: Parser = (i) => {
  const j = json(i.stdout);
  if (!j) return unreadable('gateway status', i);
  const rpc = isObj(j['rpc']) ? j['rpc'] : {};
  const gw = isObj(j['gateway']) ? j['gateway'] : {};
  const version = str(gw['version']);
  if (rpc['ok'] !== true) return { ok: false, summary: `gateway does not answer RPC: ${str(rpc['error']) ?? 'no error given'}` };
  if (!version) return { ok: false, summary: 'gateway answers RPC but reports no version' };
  return { ok: true, summary: `gateway ${version} answers RPC on port ${String(gw['port'] ?? i.args['port'])}` };
};

const gatewayHealth: Parser = (i) => {
  const j = json(i.stdout);
  if (!j) return unreadable('gateway health', i);
  if (j['ok'] !== true) return { ok: false, summary: `gateway health: ${str(j['error']) ?? 'not ok'}` };
  const plugins = isObj(j['plugins']) ? j['plugins'] : {};
  const loaded = Array.isArray(plugins['loaded']) ? plugins['loaded'].filter((p): p is string => typeof p === 'string') : [];
  const items = i.host.runtimePlugins.map((id) => ({ name: `plugin:${id}`, ok: loaded.includes(id), detail: loaded.includes(id) ? 'loaded' : 'not loaded' }));
  const missing = items.filter((x) => !x.ok).map((x) => x.name.slice('plugin:'.length));
  const version = str(j['version']) ?? '(unknown version)';
  if (missing.length) return { ok: false, summary: `gateway ${version} is up but runtime plugins are not loaded: ${missing.join(', ')}`, items };
  const list = i.host.runtimePlugins.length ? `, plugins loaded: ${i.host.runtimePlugins.join(', ')}` : '';
  return { ok: true, summary: `gateway ${version} is healthy${list}`, ...(items.length ? { items } : {}) };
};

/** curl -fsS: exit 0 means a 2xx answer (-f turns 4xx/5xx into exit 22). */
const httpCheck: Parser = (i) => {
  const what = `GET ${String(i.args['path'])} on port ${String(i.args['port'])}`;
  if (i.exitCode === 0) return { ok: true, summary: `${what}: 2xx` };
  // curl's 7 is "could not connect": nothing listens there, which is what a person needs to read.
  if (i.exitCode === 7) return { ok: false, summary: `no gateway listening on port ${String(i.args['port'])} (${what}: connection refused)` };
  return { ok: false, summary: `${what} failed (exit ${i.exitCode ?? 'none'}${lastLine(i.stderr) ? `: ${lastLine(i.stderr)}` : ''})` };
};

/** Every channel the step lists must probe "works"; one the gateway does not report is a failure. */
const channelsProbe: Parser = (i) => {
  const want = Array.isArray(i.args['channels']) ? i.args['channels'].map(String) : [];
  const j = json(i.stdout);
  if (!j) return { ...unreadable('channels probe', i), items: want.map((id) => ({ name: `channel:${id}`, ok: false, detail: 'no probe answer' })) };
  if (j['probe'] !== true) {
    // The CLI falls back to listing the config when the gateway is unreachable: that proves nothing.
    const gw = isObj(j['gateway']) ? j['gateway'] : {};
    const why = `not probed: gateway unreachable${str(gw['error']) ? ` (${str(gw['error'])})` : ''}`;
    return { ok: false, summary: `channels ${why}`, items: want.map((id) => ({ name: `channel:${id}`, ok: false, detail: why })) };
  }
  const reported = Array.isArray(j['channels']) ? j['channels'].filter(isObj) : [];
  const items = want.map((id) => {
    const c = reported.find((x) => x['id'] === id);
    if (!c) return { name: `channel:${id}`, ok: false, detail: 'not reported by the gateway' };
    const status = str(c['status']) ?? 'no status';
    const error = str(c['error']);
    return { name: `channel:${id}`, ok: status === 'works', detail: status === 'works' ? 'works' : `${status}${error ? ` (${error})` : ''}` };
  });
  const failing = items.filter((x) => !x.ok);
  if (failing.length) return { ok: false, summary: failing.map((x) => `${x.name.slice('channel:'.length)}: ${x.detail}`).join('; '), items };
  return { ok: true, summary: want.length ? `every channel works: ${want.join(', ')}` : 'no channels configured; the probe answered', items };
};

const serviceStatus: Parser = (i) => {
  const state = i.stdout.trim().split('\n')[0] ?? '';
  const unit = String(i.args['unit']);
  return state === 'active' ? { ok: true, summary: `${unit} is active` } : { ok: false, summary: `${unit} is ${state || 'in an unknown state'}` };
};

export const CHECK_PARSERS: Readonly<Record<string, Parser>> = {
  'gateway-status': gatewayStatus,
  'gateway-health': gatewayHealth,
  'http-check': httpCheck,
  'channels-probe': channelsProbe,
  'service-status': serviceStatus,
};

/** The check of a validation action's output; undefined for actions that are not checks. */
export function parseCheck(action: string, input: CheckInput): CheckResult | undefined {
  return Object.hasOwn(CHECK_PARSERS, action) ? CHECK_PARSERS[action]!(input) : undefined;
}

/** The same result with every text redacted (error messages can quote config values). */
export function redactCheck(check: CheckResult, redactor: Redactor): CheckResult {
  return {
    ok: check.ok,
    summary: redactor.redact(check.summary),
    ...(check.items ? { items: check.items.map((x) => ({ name: redactor.redact(x.name), ok: x.ok, detail: redactor.redact(x.detail) })) } : {}),
  };
}
