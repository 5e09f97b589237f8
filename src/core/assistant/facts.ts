// The compact facts a model gets about a plan: what the analysis concluded (lock, config and
// closure diffs as summaries, findings, host state, candidate steps with exact commands),
// never whole files, whole diffs or logs. Small enough to send with every request, complete
// enough that the explanation needs nothing else. Flake text (patch lines) stays marked as
// untrusted data.
import { z } from 'zod';
import type { Change, Plan, Step } from '../plan/schema.js';
import { displayArgv } from '../plan/display.js';
import { findHostKind } from '../hostKinds/index.js';
import type { FactStep, PlanFacts, UntrustedData } from './types.js';
import { neutralizeTags, wrapUntrusted, type Redact } from './untrusted.js';

/** Changed lines kept per source patch (the rest is counted, not sent). */
export const PATCH_LINES = 6;
const PATCH_LINE_CHARS = 160;

const Side = z.object({ version: z.string().nullable().optional(), tag: z.string().nullable().optional(), rev: z.string().nullable().optional() }).nullable().optional();
const VersionDetail = z.object({ input: z.string().optional(), direction: z.string().optional(), from: Side, to: Side, release: z.string().nullable().optional() });
const ChannelDetail = z.object({ section: z.literal('channels'), channel: z.string(), action: z.string() });
const PluginDetail = z.object({ section: z.literal('plugins'), added: z.array(z.string()).optional(), removed: z.array(z.string()).optional() });
const SourceDetail = z.object({ file: z.string().optional(), patch: z.string().optional() });

const short = (rev: string | null | undefined): string | null => (rev ? rev.slice(0, 7) : null);

function openclawFact(changes: Change[], clean: Redact): PlanFacts['openclaw'] {
  const c = changes.find((x) => x.kind === 'openclaw-version');
  const d = c && VersionDetail.safeParse(c.detail ?? {});
  if (!c || !d?.success) return null;
  const { from, to } = d.data;
  const s = (v: string | null | undefined) => (v ? clean(v) : null);
  const revs = from?.rev || to?.rev ? `${short(from?.rev) ?? '∅'} → ${short(to?.rev) ?? '∅'}` : null;
  return {
    from: s(from?.version),
    to: s(to?.version),
    direction: s(d.data.direction),
    fromTag: s(from?.tag),
    toTag: s(to?.tag),
    release: s(d.data.release),
    input: s(d.data.input),
    revs,
  };
}

/** Each channel change, with its runtime plugin: added or removed in this plan, or missing (a blocking finding). */
function channelFacts(plan: Plan, clean: Redact): PlanFacts['channels'] {
  const plugins = { added: new Set<string>(), removed: new Set<string>() };
  for (const c of plan.changes) {
    const d = PluginDetail.safeParse(c.detail ?? {});
    if (!d.success) continue;
    // Runtime plugin ids, and load paths named …openclaw-runtime-plugin-<id>-<version>.
    const id = (p: string) => /openclaw-runtime-plugin-([a-z0-9]+)(?:-|$)/.exec(p)?.[1] ?? p;
    for (const p of d.data.added ?? []) plugins.added.add(id(p));
    for (const p of d.data.removed ?? []) plugins.removed.add(id(p));
  }
  const missing = (ch: string) => plan.findings.some((f) => f.code === 'channel-plugin-missing' && f.message.startsWith(`channel ${ch} `));
  const out: PlanFacts['channels'] = [];
  for (const c of plan.changes) {
    const d = ChannelDetail.safeParse(c.detail ?? {});
    if (!d.success || c.summary.startsWith('channel setting')) continue;
    const ch = d.data.channel;
    const status = missing(ch) ? 'missing' : plugins.added.has(ch) ? 'added' : plugins.removed.has(ch) ? 'removed' : null;
    out.push({ id: clean(ch), action: clean(d.data.action), plugin: status ? { name: clean(ch), status } : null });
  }
  return out;
}

/** The changed lines of each source patch, at most PATCH_LINES of them, as untrusted data. */
function sourceExcerpts(changes: Change[], redact: Redact): UntrustedData[] {
  const out: UntrustedData[] = [];
  for (const c of changes) {
    if (c.kind !== 'source') continue;
    const d = SourceDetail.safeParse(c.detail ?? {});
    if (!d.success || !d.data.patch) continue;
    const changed = d.data.patch.split('\n').filter((l) => /^[+-]/.test(l) && !/^(?:\+\+\+|---)(?: |$)/.test(l));
    const kept = changed.slice(0, PATCH_LINES).map((l) => (l.length > PATCH_LINE_CHARS ? `${l.slice(0, PATCH_LINE_CHARS)}…` : l));
    if (changed.length > PATCH_LINES) kept.push(`[${changed.length - PATCH_LINES} more changed lines]`);
    out.push({ source: `${d.data.file ?? 'source'} (changed lines)`, text: redact(kept.join('\n')) });
  }
  return out;
}

/** Every string inside, cleaned (a redactor run over JSON text could cut through its quotes). */
function cleanDeep(v: unknown, clean: Redact): unknown {
  if (typeof v === 'string') return clean(v);
  if (Array.isArray(v)) return v.map((x) => cleanDeep(x, clean));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [clean(k), cleanDeep(x, clean)]));
  return v;
}

function stepFact(s: Step, clean: Redact): FactStep {
  const args = cleanDeep(s.args, clean) as Record<string, unknown>;
  return { id: s.id, action: s.action, args, on: s.on, risk: s.risk, command: clean(displayArgv(s.argv)), reason: clean(s.reason) };
}

function caveat(kind: string | null): string {
  // An unknown kind (the plan stopped before evaluating the host) says the per-user default.
  const dir = findHostKind(kind)?.defaultStateDir ?? '~/.openclaw';
  return `a rollback restores the previous generation (packages, config, units) but not runtime state under ${dir} (sessions, pairing, memory, credentials)`;
}

/** The compact, redacted facts of a plan. `redact` sees every string taken from the plan. */
export function planFacts(plan: Plan, redact: Redact): PlanFacts {
  const clean = (s: string) => neutralizeTags(redact(s));
  const opt = (s: string | null) => (s === null ? null : clean(s));
  const h = plan.host;
  return {
    host: { name: clean(h.name), environment: h.environment, kind: h.kind, target: opt(h.target), profile: opt(h.profile) },
    status: plan.status,
    flake: { base: short(plan.flake.base.rev), baseSource: plan.flake.base.source, target: short(plan.flake.target.rev), dirty: plan.flake.target.dirty },
    openclaw: openclawFact(plan.changes, clean),
    channels: channelFacts(plan, clean),
    summary: plan.summary.map(clean),
    changes: plan.changes.map((c) => ({ kind: c.kind, summary: clean(c.summary) })),
    findings: plan.findings.map((f) => ({
      severity: f.severity,
      code: f.code,
      message: clean(f.message),
      ...(f.fix ? { fix: clean(f.fix) } : {}),
      ...(f.file ? { where: clean(f.line ? `${f.file}:${f.line}` : f.file) } : {}),
    })),
    generations: {
      current: plan.generations.current ? { number: plan.generations.current.number, storePath: clean(plan.generations.current.storePath) } : null,
      next: opt(plan.generations.next?.storePath ?? null),
      nextNumber: plan.generations.next?.number ?? null,
    },
    steps: {
      apply: plan.steps.apply.map((s) => stepFact(s, clean)),
      validate: plan.steps.validate.map((s) => stepFact(s, clean)),
      rollback: plan.steps.rollback.map((s) => stepFact(s, clean)),
    },
    rollbackCaveat: caveat(h.kind),
    sources: sourceExcerpts(plan.changes, redact),
  };
}

const argText = (args: Record<string, unknown>) =>
  Object.entries(args)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`)
    .join(' ');
const same = (a: FactStep, b: FactStep) => a.action === b.action && JSON.stringify(a.args) === JSON.stringify(b.args);

// Numbered per phase; only steps that change something carry their risk.
function stepLines(steps: FactStep[]): string[] {
  return steps.map((s, i) => `${i + 1}. ${s.action} ${argText(s.args)}${s.risk === 'read' ? '' : ` [${s.risk}]`}: ${s.command}`);
}

/**
 * Rollback steps; a tail that repeats the validation steps is named, not repeated. The previous
 * generation may configure the gateway differently (port, channels): then only what differs is said.
 */
function rollbackLines(rollback: FactStep[], validate: FactStep[]): string[] {
  const n = validate.length;
  const head = rollback.length - n;
  const tail = rollback.slice(Math.max(head, 0));
  if (n && head > 0 && tail.every((s, i) => s.action === validate[i]!.action)) {
    const differing = new Set(
      tail.flatMap((s, i) =>
        same(s, validate[i]!)
          ? []
          : argText(s.args)
              .split(' ')
              .filter((kv) => !argText(validate[i]!.args).split(' ').includes(kv)),
      ),
    );
    return [...stepLines(rollback.slice(0, head)), `${head + 1}-${rollback.length}. the validate steps again${differing.size ? `, with ${[...differing].join(' ')}` : ''}`];
  }
  return stepLines(rollback);
}

/**
 * Long values that recur (the profile, the two generations' store paths) get a $-name, defined
 * once: a store path costs about 25 tokens, and the steps repeat each several times.
 */
function names(f: PlanFacts): Array<[name: string, value: string, note: string]> {
  const g = f.generations;
  const out: Array<[string, string, string]> = [];
  // Short values are left alone: replacing "/" everywhere would garble the text.
  if (f.host.profile && f.host.profile.length >= 12) out.push(['$P', f.host.profile, 'profile']);
  if (g.current) out.push(['$CUR', g.current.storePath, `generation ${g.current.number}, current`]);
  if (g.next) out.push(['$NEXT', g.next, `generation ${g.nextNumber ?? (g.current ? g.current.number + 1 : 1)} once applied`]);
  // Every CLI check starts the same way (token, config, port, the generation's openclaw).
  const cli = f.steps.validate.map((s) => /^(.*OPENCLAW_CONFIG_PATH=.*?\/bin\/openclaw) /.exec(s.command)?.[1]).find(Boolean);
  if (cli) out.push(['$OC', cli, "the generation's own openclaw CLI, given its config, port and gateway token"]);
  return out;
}

function alias(text: string, defs: Array<[string, string, string]>): string {
  let t = text;
  for (const [n, v] of [...defs].sort((a, b) => b[1].length - a[1].length)) t = t.split(v).join(n);
  return t;
}

/**
 * The facts as the prompt shows them: one fact a line, by topic. The offline summary and the
 * step reasons are not repeated (they restate facts below and the catalog's titles).
 */
export function renderFacts(f: PlanFacts): string {
  const out: string[] = [];
  const h = f.host;
  const defs = names(f);
  const known = h.kind !== null;
  out.push(`host: ${h.name} ${known ? `(${h.environment ?? '?'}, ${h.kind}) target ${h.target ?? '?'}` : '(not evaluated)'}; status ${f.status}`);
  out.push(`flake: ${f.flake.base ?? 'none'} (${f.flake.baseSource}) → ${f.flake.target ?? 'none'}${f.flake.dirty ? ', working tree DIRTY (uncommitted changes)' : ''}`);
  const o = f.openclaw;
  if (o) {
    const tags = o.fromTag || o.toTag ? `, release tag ${o.fromTag ?? '∅'} → ${o.toTag ?? '∅'}` : '';
    out.push(`openclaw: ${o.from ?? '∅'} → ${o.to ?? '∅'} (${o.direction ?? 'changed'})${tags}${o.input ? `, input ${o.input}` : ''}${o.revs ? ` ${o.revs}` : ''}${o.release ? `, ${o.release}` : ''}`);
  } else out.push('openclaw: version unchanged');
  const changes = f.changes.filter((c) => c.kind !== 'openclaw-version');
  if (changes.length) out.push('changes:', ...changes.map((c) => `- ${c.kind}: ${c.summary}`));
  for (const c of f.channels) {
    const p = c.plugin ? `runtime plugin ${c.plugin.name} ${c.plugin.status === 'missing' ? 'MISSING' : c.plugin.status}` : 'no plugin change';
    out.push(`channel ${c.id}: ${c.action}; ${p}`);
  }
  if (f.findings.length) {
    out.push('findings:');
    for (const x of f.findings) {
      const where = x.where && !x.message.startsWith(`${x.where}:`) ? ` (${x.where})` : '';
      out.push(`- ${x.severity} ${x.code}${where}: ${x.message}${x.fix ? ` FIX: ${x.fix}` : ''}`);
    }
  }
  if (!f.generations.current) {
    const first = f.findings.some((x) => x.code === 'first-deploy');
    out.push(`generations: ${first ? 'none yet (first deploy: nothing to roll back to)' : 'not read (the plan stopped before reading the host)'}`);
  }
  if (f.status === 'ready') {
    out.push('apply:', ...stepLines(f.steps.apply), 'validate:', ...stepLines(f.steps.validate));
    out.push('rollback:', ...(f.steps.rollback.length ? rollbackLines(f.steps.rollback, f.steps.validate) : ['none: no previous generation']));
    const said = f.findings.some((x) => x.code === 'state-not-rolled-back');
    if (f.steps.rollback.length && !said) out.push(`note: ${f.rollbackCaveat}`);
  } else out.push(`steps: none (${f.status === 'blocked' ? 'blocked until the blocking findings are fixed' : 'nothing to deploy'})`);
  const body = alias(out.join('\n'), defs);
  // A name's value may itself hold a shorter name's value ($OC holds $P).
  const head = defs.length
    ? `${defs
        .map(
          ([n, v, note]) =>
            `${n}=${alias(
              v,
              defs.filter((d) => d[0] !== n && d[1].length < v.length),
            )} (${note})`,
        )
        .join('\n')}\n($-names stand for these values; write them out in tool calls)\n`
    : '';
  // Excerpts were redacted in planFacts; they are not aliased (data is shown as it is).
  const sources = f.sources.length ? `\nsource excerpts:\n${wrapUntrusted(f.sources, (s) => s)}` : '';
  return `${head}${body}${sources}`;
}
