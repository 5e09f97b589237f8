// Semantic diff of the rendered OpenClaw config (openclaw.json): the host's current generation
// against the new one. Secret values never appear; paths and SecretRef names may.
import { UserError } from '../errors.js';
import type { Change, Finding } from '../plan/schema.js';
import { channelChanges, missingPluginFindings } from './configChannels.js';
import { changedLeaves, describeLeaf, showScalar, type LeafChange, type Redact } from './configValues.js';
import { compareStr, isRecord, sortFindings } from './util.js';

export interface ConfigDiffOptions {
  redact?: Redact;
  /** Runtime plugin ids of the current and the next generation (programs.openclaw.runtimePlugins). */
  runtimePlugins?: { current: string[]; next: string[] };
}

/** Sections with their own report; every other top-level key goes into "other settings". */
const OWN_SECTIONS = new Set(['gateway', 'channels', 'plugins', 'models']);
/** Gateway fields shown with their values (none of them is secret). */
const GATEWAY_FIELDS = ['mode', 'port', 'bind', 'customBindHost', 'auth.mode'];

const identity = (s: string): string => s;

export function diffOpenclawConfig(current: unknown | null, next: unknown, opts: ConfigDiffOptions = {}): { changes: Change[]; findings: Finding[] } {
  if (!isRecord(next)) throw new UserError('openclaw.json (new generation): expected a JSON object');
  const redact = opts.redact ?? identity;
  const findings: Finding[] = [];
  let cur: Record<string, unknown> | null = null;
  if (isRecord(current)) cur = current;
  else if (current !== null && current !== undefined) {
    findings.push({
      code: 'current-config-unreadable',
      severity: 'warn',
      message: "the host's current openclaw.json is not a JSON object: the config is compared as if this were a first deploy",
    });
  }

  const channels = channelChanges(cur, next, redact);
  const changes = [...gatewayChanges(cur, next, redact), ...channels.changes, ...pluginChanges(cur, next, opts.runtimePlugins, redact), ...modelChanges(cur, next, redact), ...otherChanges(cur, next)];
  findings.push(...channels.findings, ...missingPluginFindings(next, opts.runtimePlugins?.next));
  const mode = isRecord(next.gateway) ? next.gateway.mode : undefined;
  if (mode === undefined || mode === null || mode === '') {
    findings.push({
      code: 'gateway-mode-unset',
      severity: 'block',
      message: 'gateway.mode is not set in the new openclaw.json: the gateway refuses to start ("set gateway.mode=local", nix-openclaw #72)',
      fix: 'set gateway.mode = "local" in the config (services.openclaw-gateway.config.gateway.mode on NixOS, which does not set it for you)',
    });
  }
  return { changes, findings: sortFindings(findings) };
}

function section(config: Record<string, unknown> | null, key: string): Record<string, unknown> | undefined {
  const v = config?.[key];
  return isRecord(v) ? v : undefined;
}

function gatewayChanges(cur: Record<string, unknown> | null, next: Record<string, unknown>, redact: Redact): Change[] {
  const leaves = changedLeaves(section(cur, 'gateway') ?? {}, section(next, 'gateway') ?? {});
  const changes: Change[] = [];
  const rest: LeafChange[] = [];
  for (const l of leaves) {
    const field = l.path.join('.');
    if (GATEWAY_FIELDS.includes(field)) {
      const from = showScalar(l.before, redact);
      const to = showScalar(l.after, redact);
      const summary = l.before === undefined ? `gateway.${field} set to ${to}` : `gateway.${field}: ${from} → ${to}`;
      changes.push({ kind: 'config', summary, detail: { section: 'gateway', field, from, to } });
    } else rest.push(l);
  }
  if (rest.length) {
    changes.push({
      kind: 'config',
      summary: `gateway settings changed: ${rest.map((l) => describeLeaf(l, redact)).join(', ')}`,
      detail: { section: 'gateway', keys: rest.map((l) => l.path.join('.')) },
    });
  }
  return changes;
}

function pluginChanges(cur: Record<string, unknown> | null, next: Record<string, unknown>, runtime: ConfigDiffOptions['runtimePlugins'], redact: Redact): Change[] {
  const changes: Change[] = [];
  if (runtime) {
    const before = new Set(runtime.current);
    const after = new Set(runtime.next);
    const added = [...after].filter((p) => !before.has(p)).sort(compareStr);
    const removed = [...before].filter((p) => !after.has(p)).sort(compareStr);
    const parts = [added.length ? `added ${added.join(', ')}` : '', removed.length ? `removed ${removed.join(', ')}` : ''];
    if (added.length || removed.length) {
      changes.push({
        kind: 'config',
        summary: `runtime plugins: ${parts.filter(Boolean).join('; ')}`,
        detail: { section: 'plugins', added, removed },
      });
    }
  }
  const a = section(cur, 'plugins') ?? {};
  const b = section(next, 'plugins') ?? {};
  const paths = loadPathChange(a, b, redact);
  if (paths) changes.push(paths);
  const rest = changedLeaves(withoutLoadPaths(a), withoutLoadPaths(b));
  if (rest.length) {
    changes.push({
      kind: 'config',
      summary: `plugin settings changed: ${rest.map((l) => describeLeaf(l, redact)).join(', ')}`,
      detail: { section: 'plugins', keys: rest.map((l) => l.path.join('.')) },
    });
  }
  return changes;
}

/** plugins without load.paths, which loadPathChange reports on its own. */
function withoutLoadPaths(p: Record<string, unknown>): Record<string, unknown> {
  if (!isRecord(p.load)) return p;
  const { paths: _paths, ...load } = p.load;
  const { load: _load, ...rest } = p;
  return Object.keys(load).length ? { ...rest, load } : rest;
}

/** Store paths change hash on every rebuild: compare by name, count same-name new hashes as rebuilt. */
function loadPathChange(a: Record<string, unknown>, b: Record<string, unknown>, redact: Redact): Change | null {
  const paths = (p: Record<string, unknown>): string[] => {
    const load = p.load;
    const list = isRecord(load) && Array.isArray(load.paths) ? load.paths : [];
    return list.filter((x): x is string => typeof x === 'string');
  };
  const name = (p: string): string => p.replace(/^\/nix\/store\/[0-9a-z]{32}-/, '');
  const before = new Map(paths(a).map((p) => [name(p), p]));
  const after = new Map(paths(b).map((p) => [name(p), p]));
  const added = [...after.keys()].filter((n) => !before.has(n)).sort(compareStr);
  const removed = [...before.keys()].filter((n) => !after.has(n)).sort(compareStr);
  const rebuilt = [...after.keys()].filter((n) => before.has(n) && before.get(n) !== after.get(n)).length;
  if (!added.length && !removed.length && !rebuilt) return null;
  const parts = [added.length ? `added ${added.map(redact).join(', ')}` : '', removed.length ? `removed ${removed.map(redact).join(', ')}` : '', rebuilt ? `${rebuilt} rebuilt` : ''].filter(Boolean);
  return {
    kind: 'config',
    summary: `plugins.load.paths: ${parts.join('; ')}`,
    detail: { section: 'plugins', field: 'load.paths', added: added.map(redact), removed: removed.map(redact), rebuilt },
  };
}

function modelChanges(cur: Record<string, unknown> | null, next: Record<string, unknown>, redact: Redact): Change[] {
  const a = section(cur, 'models') ?? {};
  const b = section(next, 'models') ?? {};
  const pa = isRecord(a.providers) ? a.providers : {};
  const pb = isRecord(b.providers) ? b.providers : {};
  const changes: Change[] = [];
  for (const id of [...new Set([...Object.keys(pa), ...Object.keys(pb)])].sort(compareStr)) {
    const action = pa[id] === undefined ? 'added' : pb[id] === undefined ? 'removed' : 'changed';
    const leaves = action === 'changed' ? changedLeaves(pa[id], pb[id]) : [];
    if (action === 'changed' && !leaves.length) continue;
    const how = action === 'changed' ? `changed: ${leaves.map((l) => describeLeaf(l, redact)).join(', ')}` : action;
    changes.push({
      kind: 'config',
      summary: `model provider ${id} ${how}`,
      detail: { section: 'models', provider: id, action, keys: leaves.map((l) => l.path.join('.')) },
    });
  }
  const rest = changedLeaves({ ...a, providers: null }, { ...b, providers: null });
  if (rest.length) {
    changes.push({
      kind: 'config',
      summary: `model settings changed: ${rest.map((l) => describeLeaf(l, redact)).join(', ')}`,
      detail: { section: 'models', keys: rest.map((l) => l.path.join('.')) },
    });
  }
  return changes;
}

/** Everything else, one line: "other settings changed: agents (1 key), skills (2 keys)". */
function otherChanges(cur: Record<string, unknown> | null, next: Record<string, unknown>): Change[] {
  const strip = (c: Record<string, unknown> | null): Record<string, unknown> => Object.fromEntries(Object.entries(c ?? {}).filter(([k]) => !OWN_SECTIONS.has(k)));
  const leaves = changedLeaves(strip(cur), strip(next));
  if (!leaves.length) return [];
  const byKey = new Map<string, string[]>();
  for (const l of leaves) {
    const [top = '', ...rest] = l.path;
    byKey.set(top, [...(byKey.get(top) ?? []), rest.join('.')]);
  }
  const keys = [...byKey.keys()].sort(compareStr);
  const label = (k: string): string => {
    const n = byKey.get(k)!.filter(Boolean).length;
    return n ? `${k} (${n} ${n === 1 ? 'key' : 'keys'})` : k;
  };
  return [
    {
      kind: 'config',
      summary: `other settings changed: ${keys.map(label).join(', ')}`,
      detail: { section: 'other', keys: Object.fromEntries(keys.map((k) => [k, byKey.get(k)!.filter(Boolean)])) },
    },
  ];
}
