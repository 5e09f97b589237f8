// Turns the output of a validation action into a CheckResult, one small parser per kind of answer
// (the catalog says which parser reads which action's output).
// Parsers read the raw output (the executor redacts the result's text afterwards); they never
// throw: output they cannot read is a failed check that says so.
import type { Host } from '../inventory/schema.js';
import type { Redactor } from '../redact/index.js';
import type { CheckResult } from './types.js';
import type { CheckParser } from '../plan/catalog.js';
import { behaviourOf } from '../plan/behaviour.js';
import { channelProblem, channelStarting, isAuthError, readChannelsStatus, readGatewayHealth, readReadiness, readRuntimeStatus } from '../openclaw/surface.js';

export interface CheckInput {
  stdout: string;
  stderr: string;
  /** null when the command never ran to an exit (unreachable host). */
  exitCode: number | null;
  args: Record<string, unknown>;
  host: Host;
}

type Parser = (i: CheckInput) => CheckResult;

function lastLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .at(-1) ?? ''
  );
}

function unreadable(what: string, i: CheckInput): CheckResult {
  const why = lastLine(i.stderr) || lastLine(i.stdout) || 'no output';
  return { ok: false, summary: `${what}: no JSON answer (exit ${i.exitCode ?? 'none'}): ${why}` };
}

/** What a person should do about a CLI that could not authenticate. */
function authHint(i: CheckInput): string {
  const t = i.host.gateway.token;
  return t
    ? `the CLI found no usable gateway token in ${t.files.join(', ')} (${t.env}); check that the secret exists on the host and matches the gateway's`
    : 'the gateway wants a token (gateway.auth) and the config gives the CLI none it can use';
}

const gatewayStatus: Parser = (i) => {
  const s = readRuntimeStatus(i.stdout);
  if (!s) return unreadable('gateway status', i);
  if (!s.ok) {
    if (isAuthError(s.errorType) || isAuthError(s.error)) return { ok: false, summary: `gateway refuses the CLI's credentials: ${s.error ?? s.errorType}; ${authHint(i)}` };
    return { ok: false, summary: `gateway does not answer RPC: ${s.error ?? s.errorType ?? 'no error given'}` };
  }
  return { ok: true, summary: `gateway ${s.version} answers RPC on port ${String(i.args['port'])}${s.pid ? ` (pid ${s.pid})` : ''}` };
};

const gatewayHealth: Parser = (i) => {
  const h = readGatewayHealth(i.stdout);
  if (!h) return unreadable('gateway health', i);
  if (!h.ok) {
    if (isAuthError(h.errorType) || isAuthError(h.error)) return { ok: false, summary: `gateway health: ${h.error ?? h.errorType}; ${authHint(i)}` };
    return { ok: false, summary: `gateway health: ${h.error ?? 'not ok'}` };
  }
  const items = i.host.runtimePlugins.map((id) => ({ name: `plugin:${id}`, ok: h.pluginsLoaded.includes(id), detail: h.pluginsLoaded.includes(id) ? 'loaded' : 'not loaded' }));
  const missing = items.filter((x) => !x.ok).map((x) => x.name.slice('plugin:'.length));
  if (missing.length) return { ok: false, summary: `gateway is up but runtime plugins are not loaded: ${missing.join(', ')}`, items };
  const list = i.host.runtimePlugins.length ? `, plugins loaded: ${i.host.runtimePlugins.join(', ')}` : '';
  // Health says ok while a channel is dead: channels are judged by the channel probe.
  return { ok: true, summary: `gateway health ok${list}`, ...(items.length ? { items } : {}) };
};

/** curl -sS -w '\n%{http_code}': the body, then the status code on the last line. */
const httpCheck: Parser = (i) => {
  const path = String(i.args['path']);
  const what = `GET ${path} on port ${String(i.args['port'])}`;
  // curl's 7 is "could not connect": nothing listens there, which is what a person needs to read.
  if (i.exitCode === 7) return { ok: false, summary: `no gateway listening on port ${String(i.args['port'])} (${what}: connection refused)` };
  if (i.exitCode === 28) return { ok: false, summary: `${what}: no answer within the time limit` };
  if (i.exitCode !== 0) return { ok: false, summary: `${what} failed (exit ${i.exitCode ?? 'none'}${lastLine(i.stderr) ? `: ${lastLine(i.stderr)}` : ''})` };
  const cut = i.stdout.lastIndexOf('\n');
  const code = Number(i.stdout.slice(cut + 1).trim());
  const body = cut >= 0 ? i.stdout.slice(0, cut) : '';
  if (code >= 200 && code < 300) return { ok: true, summary: `${what}: ${code}` };
  const ready = readReadiness(body);
  if (ready && !ready.ready) {
    return {
      ok: false,
      summary: `${path}: ${code || 'no status'}, not ready: ${ready.failing.length ? ready.failing.join(', ') : 'nothing named'}`,
      items: ready.failing.map((f) => ({ name: `ready:${f}`, ok: false, detail: 'failing' })),
    };
  }
  return { ok: false, summary: `${what}: ${code || 'no status code'}${body.trim() ? `: ${lastLine(body).slice(0, 200)}` : ''}` };
};

/**
 * Every channel the step lists must work: its probe passed, its accounts are running and
 * connected, and no status issue names it (a 401 leaves the probe passing again later while the
 * channel stays blocked). A config-only answer means the gateway was not reached: not probed.
 */
const channelsProbe: Parser = (i) => {
  const want = Array.isArray(i.args['channels']) ? i.args['channels'].map(String) : [];
  const c = readChannelsStatus(i.stdout);
  if (!c) return { ...unreadable('channels probe', i), items: want.map((id) => ({ name: `channel:${id}`, ok: false, detail: 'no probe answer' })) };
  if (!c.probed) {
    const why = `not probed: ${isAuthError(c.error) ? `the gateway refused the CLI's token (${c.error}); ${authHint(i)}` : `gateway not reached${c.error ? ` (${c.error})` : ''}`}`;
    return { ok: false, summary: `channels ${why}`, items: want.map((id) => ({ name: `channel:${id}`, ok: false, detail: why })) };
  }
  const starting = want.filter((id) => channelStarting(c.channels(id)));
  const items = want.map((id) => {
    const problem = starting.includes(id) ? 'probe ok, still starting (readiness decides)' : channelProblem(c.channels(id));
    return { name: `channel:${id}`, ok: problem === null, detail: problem ?? 'works' };
  });
  const failing = items.filter((x) => !x.ok);
  // A blocked account stays blocked until the gateway restarts (verified on 2026.9.6).
  const blocked = want.some((id) => c.channels(id).accounts.some((a) => a.lifecycle === 'blocked'));
  const waiting = failing.length > 0 && failing.length === starting.length;
  if (failing.length)
    return {
      ok: false,
      summary: failing.map((x) => `${x.name.slice('channel:'.length)}: ${x.detail}`).join('; '),
      items,
      ...(blocked ? { final: true } : {}),
      ...(waiting ? { awaitsReadiness: true } : {}),
    };
  return { ok: true, summary: want.length ? `every channel works: ${want.join(', ')}` : 'no channels configured; the probe answered', items };
};

const serviceStatus: Parser = (i) => {
  const state = i.stdout.trim().split('\n')[0] ?? '';
  const unit = String(i.args['unit']);
  return state === 'active' ? { ok: true, summary: `${unit} is active` } : { ok: false, summary: `${unit} is ${state || 'in an unknown state'}` };
};

/** The parsers by name: a check's catalog entry names the one that reads its output (`parser`). */
export const CHECK_PARSERS: Readonly<Record<CheckParser, Parser>> = {
  status: gatewayStatus,
  health: gatewayHealth,
  http: httpCheck,
  channels: channelsProbe,
  unit: serviceStatus,
};

/** The check of a validation action's output; undefined for actions that are not checks. */
export function parseCheck(action: string, input: CheckInput): CheckResult | undefined {
  const parser = behaviourOf(action).parser;
  return parser ? CHECK_PARSERS[parser](input) : undefined;
}

/** The same result with every text redacted (error messages can quote config values). */
export function redactCheck(check: CheckResult, redactor: Redactor): CheckResult {
  return {
    ok: check.ok,
    summary: redactor.redact(check.summary),
    ...(check.items ? { items: check.items.map((x) => ({ name: redactor.redact(x.name), ok: x.ok, detail: redactor.redact(x.detail) })) } : {}),
    ...(check.final ? { final: true } : {}),
    ...(check.awaitsReadiness ? { awaitsReadiness: true } : {}),
    ...(check.notRun ? { notRun: true } : {}),
  };
}
