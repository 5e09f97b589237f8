// The read-only pipeline: flake + host -> analysis -> deterministic Plan. Nothing here
// changes a host. The same function serves the CLI, the (later) ink session and the tests.
import { flakeFingerprint } from '../nix/evalCache.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { headRev, isDirty, isGitRepo, resolveRev, fileAt } from '../git.js';
import { findHostEntry, resolveHost } from '../inventory/load.js';
import type { Goal, Host } from '../inventory/schema.js';
import { build, type BuildResult } from '../nix/flake.js';
import type { Change, Finding, Plan, UnhashedPlan } from '../plan/schema.js';
import { makeBlockedPlan, makePlan } from '../plan/planner.js';
import { hostAsConfigured } from '../inventory/generationHost.js';
import { sha256 } from '../plan/hash.js';
import { preflight } from '../preflight/preflight.js';
import { renderedConfigIn } from '../preflight/layout.js';
import { transportForHost, assertReachable } from '../transport/index.js';
import type { Transport } from '../transport/types.js';
import type { HostConnections } from '../transport/shared.js';
import { parseLock, diffLocks, withStateDir, DEFAULT_STATE_DIR } from '../analysis/lockDiff.js';
import { diffSources } from '../analysis/sourceDiff.js';
import { diffOpenclawConfig } from '../analysis/configDiff.js';
import { pluginsInLoadPaths } from '../analysis/configChannels.js';
import { isRecord } from '../analysis/util.js';
import { parseDiffClosures, summariseClosure } from '../analysis/closureDiff.js';
import { scanSources, scanRendered } from '../secrets/index.js';
import { timed } from '../timing.js';
import { onceWith, type PlanMemo } from './planMemo.js';
import { assertFlakeDir, sourcesAt, worktreeSources, type SourceFile } from './flakeFiles.js';
import { dryActivation } from './dryActivation.js';
import { builtHere, builtOnTarget, type BuildPlace } from './buildPlace.js';
import { buildOnTarget } from '../nix/remoteBuild.js';
import { hostKind } from '../hostKinds/index.js';
import { optionsUnread } from './optionsUnread.js';

export interface PlanHostOptions {
  flakeDir: string;
  hostName: string;
  /** --base REV; default: the revision last deployed to the host (from the records), else git HEAD. */
  base?: string;
  /** The flake revision of the host's last successful deploy, from the records. */
  lastDeployedRev?: string | null;
  sshConfig?: string;
  /** A rollout's connections (transport/shared.ts): the plan borrows its host's instead of opening one. */
  connections?: HostConnections;
  /** Applied to every text that leaves the analysis (diffs, config values). */
  redact: (text: string) => string;
  /** A rollout's shared work (planMemo.ts): the flake side is done once for all its hosts. */
  memo?: PlanMemo;
  /** --goal; default: the inventory's `goal`, else switch. */
  goal?: Goal;
  /** --build-on-target; default: the inventory's `buildOnTarget`. */
  buildOnTarget?: boolean;
}

interface FlakeState {
  flake: UnhashedPlan['flake'];
  sources: SourceFile[];
  baseRev: string | null;
}

async function flakeState(opts: PlanHostOptions): Promise<FlakeState> {
  const dir = opts.flakeDir;
  assertFlakeDir(dir);
  const git = await isGitRepo(dir);
  if (opts.base && !git) throw new UserError(`--base ${opts.base}: ${dir} is not a git repository`);
  const head = git ? await headRev(dir) : null;
  // An explicit --base wins; then what the host last got (if this repo has that commit); then HEAD.
  const last = !opts.base && opts.lastDeployedRev && git ? await resolveRev(dir, opts.lastDeployedRev).catch(() => null) : null;
  const baseRev = opts.base ? await resolveRev(dir, opts.base) : (last ?? head);
  const lockPath = join(dir, 'flake.lock');
  return {
    sources: await worktreeSources(dir),
    baseRev,
    flake: {
      base: { rev: baseRev, source: opts.base ? 'flag' : last ? 'last-deploy' : head ? 'git-head' : 'none' },
      target: { rev: head, dirty: git ? await isDirty(dir) : false },
      lockHash: existsSync(lockPath) ? `sha256:${sha256(readFileSync(lockPath, 'utf8'))}` : null,
    },
  };
}

/** flake.lock and Nix source changes between the base revision and the working tree. */
async function flakeChanges(opts: PlanHostOptions, fs: FlakeState): Promise<{ changes: Change[]; findings: Finding[] }> {
  const dir = opts.flakeDir;
  const nextText = fs.sources.find((f) => f.path === 'flake.lock')?.content ?? null;
  const baseText = fs.baseRev ? await fileAt(dir, fs.baseRev, 'flake.lock') : null;
  const changes: Change[] = [];
  const findings: Finding[] = [];
  if (nextText !== null) {
    const next = parseLock(nextText, join(dir, 'flake.lock'));
    const base = baseText !== null ? parseLock(baseText, `flake.lock at ${fs.baseRev?.slice(0, 12)}`) : null;
    const lock = diffLocks(base, next, { dirty: fs.flake.target.dirty });
    changes.push(...lock.changes);
    findings.push(...lock.findings);
  }
  const baseFiles = fs.baseRev ? await sourcesAt(dir, fs.baseRev) : [];
  const toMap = (files: SourceFile[]) => new Map(files.filter((f) => f.path.endsWith('.nix') || f.path === 'flake.lock').map((f) => [f.path, f.content]));
  const src = diffSources(toMap(baseFiles), toMap(fs.sources), { redact: opts.redact });
  const patchByFile = new Map(src.patches.map((p) => [p.file, p.patch]));
  for (const c of src.changes) {
    const file = typeof c.detail?.['file'] === 'string' ? (c.detail['file'] as string) : null;
    const patch = file ? patchByFile.get(file) : undefined;
    changes.push(patch ? { ...c, detail: { ...c.detail, patch } } : c);
  }
  return { changes, findings };
}

/** Preflight, build and closure diff: the build runs while the host is being read. */
async function hostAnalysis(opts: PlanHostOptions, host: Host, t: Transport, building: Promise<BuildResult>, once: ReturnType<typeof onceWith>, place: BuildPlace) {
  const [state, built] = await Promise.all([timed('preflight', () => preflight(host, t, opts.memo ? once : undefined)), building]);
  const changes: Change[] = [];
  const findings: Finding[] = [...state.findings];
  const unread = optionsUnread(host);
  if (unread) findings.push(unread);

  // A store path names its content: once one host's current generation is here, a host on the same one needs no copy.
  const fetchCurrent = (path: string) => once(`fetch ${place.key}\0${path}`, () => place.fetchCurrent(path));
  const renderedPath = renderedConfigIn(host, built.outPath);
  const renderedFile = await place.rendered(host, built.outPath);
  if (renderedFile) {
    const text = renderedFile.text;
    const [rendered] = await Promise.all([
      scanRendered([{ storePath: renderedFile.storePath, content: text }]),
      state.current && state.current.storePath !== built.outPath ? timed('fetch current generation', () => fetchCurrent(state.current!.storePath)) : null,
    ]);
    findings.push(...rendered);
    const config = diffOpenclawConfig(state.currentConfig, JSON.parse(text) as unknown, {
      redact: opts.redact,
      runtimePlugins: { current: isRecord(state.currentConfig) ? pluginsInLoadPaths(state.currentConfig) : [], next: host.runtimePlugins },
    });
    changes.push(...config.changes);
    findings.push(...config.findings);
  } else {
    findings.push({ code: 'config-not-rendered', severity: 'warn', message: `the new generation has no rendered OpenClaw config at ${renderedPath}` });
    if (state.current && state.current.storePath !== built.outPath) await fetchCurrent(state.current.storePath);
  }

  if (state.current && state.current.storePath !== built.outPath) {
    const from = state.current.storePath;
    changes.push(...summariseClosure(parseDiffClosures(await once(`closures ${place.key}\0${from}\0${built.outPath}`, () => timed('diff closures', () => place.diffClosures(from, built.outPath))))));
  }
  return { state, built, changes, findings };
}

/** Planning built on the host: its store changed (nothing runs the build), and it says so. */
function builtThere(host: Host): Finding {
  return {
    code: 'built-on-target',
    severity: 'info',
    message: `the new generation was built in the store of '${host.name}' (build on target): only its derivations were sent there, no closure was copied from this machine; nothing runs it yet`,
  };
}

export interface Analysed {
  plan: Plan;
  /** The host's resolved facts; null when the plan was blocked before the flake was evaluated. */
  host: Host | null;
}

export async function planHost(opts: PlanHostOptions): Promise<Plan> {
  return (await analyseHost(opts)).plan;
}

/** The plan and the host it was made for (the deploy flow needs both). */
export async function analyseHost(opts: PlanHostOptions): Promise<Analysed> {
  const once = onceWith(opts.memo);
  // The flake side depends on the flake and the base it is measured from, not on the host.
  const side = `${opts.flakeDir}\0${opts.base ?? ''}\0${opts.lastDeployedRev ?? ''}`;
  const fs = await once(`state ${side}`, () => timed('flake state (git)', () => flakeState(opts)));
  // Before Nix touches the flake: evaluating it copies every tracked file into the store.
  const secretFindings = await once(`secrets ${side}`, () => timed('secret scan of sources', () => scanSources(fs.sources, { flakeDir: opts.flakeDir })));
  if (secretFindings.some((f) => f.severity === 'block')) return { plan: makeBlockedPlan(opts.hostName, fs.flake, secretFindings), host: null };

  // flake.lock is parsed by us before Nix reads it: a malformed one gets an error naming its field.
  const lock = fs.sources.find((f) => f.path === 'flake.lock');
  if (lock) parseLock(lock.content, join(opts.flakeDir, 'flake.lock'));
  const flakeDiff = once(`diff ${side}`, () => timed('lock and source diff', () => flakeChanges(opts, fs)));
  flakeDiff.catch(() => undefined); // awaited below
  const fp = flakeFingerprint(opts.flakeDir);
  const entry = await timed('inventory (nix eval)', () => findHostEntry(opts.flakeDir, opts.hostName, fp));
  const goal = opts.goal ?? entry.entry.goal ?? 'switch';
  // Before anything is built: only NixOS has goals other than switch.
  const kind = hostKind(entry.entry.kind);
  const from = opts.goal ? `--goal ${goal}` : `${entry.source}.${entry.name}.goal`;
  if (!kind.goals.includes(goal)) throw new UserError(`${from}: host '${entry.name}' is ${kind.label}; only NixOS hosts take a goal other than switch`);
  // From here three independent things run at once: the host's facts (a nix eval), the local
  // build, and the ssh connection. None changes the host.
  // deploy-rs's remoteBuild: a local host builds here anyway.
  const onTarget = (opts.buildOnTarget ?? entry.entry.buildOnTarget ?? false) && entry.entry.target !== 'local';
  const reached = { name: entry.name, target: entry.entry.target, ...(entry.entry.sshOpts ? { sshOpts: entry.entry.sshOpts } : {}) };
  const t = opts.connections?.borrow(reached) ?? transportForHost(reached, { sshConfig: opts.sshConfig });
  const reachable = timed('reachable', () => assertReachable(t, entry.name));
  reachable.catch(() => undefined); // awaited below
  // Built on the host once it answers (an unreachable host is said as such, not as a failed build).
  const building = onTarget
    ? once(`build on ${t.storeUrl}\0${opts.flakeDir}\0${entry.entry.attribute}`, () => reachable.then(() => timed('build on target', () => buildOnTarget(t, opts.flakeDir, entry.entry.attribute))))
    : once(`build ${opts.flakeDir}\0${entry.entry.attribute}`, () => timed('build', () => build(opts.flakeDir, entry.entry.attribute)));
  building.catch(() => undefined); // awaited below; do not let an early failure go unhandled
  try {
    const [host] = await Promise.all([timed('host facts (nix eval)', () => resolveHost(opts.flakeDir, entry.name, entry.source, entry.entry, fp)), reachable]);
    const h = await hostAnalysis(opts, host, t, building, once, onTarget ? builtOnTarget(t) : builtHere(t));
    const flake = await flakeDiff;
    const ctx = { host, storeUrl: t.storeUrl, flakeDir: opts.flakeDir };
    // Asked only of a build that could be deployed: not when a finding blocks it, nor when it runs already.
    const deployable = h.built.outPath !== h.state.current?.storePath && ![...secretFindings, ...flake.findings, ...h.findings].some((f) => f.severity === 'block');
    const dry =
      goal === 'dry-activate' && deployable
        ? await timed('dry-activate', () => dryActivation(host, t, ctx, h.built.outPath, { gatewayRunning: h.state.gateway.running, redact: opts.redact, copy: !onTarget }))
        : { changes: [], findings: [] };
    const plan = makePlan({
      host,
      ctx,
      goal,
      buildOnTarget: onTarget,
      flake: fs.flake,
      current: h.state.current,
      currentHost: hostAsConfigured(host, h.state.currentConfig),
      nextStorePath: h.built.outPath,
      newest: h.state.newest,
      changes: [...flake.changes, ...h.changes, ...dry.changes],
      findings: [...secretFindings, ...flake.findings.map((f) => withStateDir(f, host.gateway.stateDir ?? DEFAULT_STATE_DIR)), ...h.findings, ...dry.findings, ...(onTarget ? [builtThere(host)] : [])],
    });
    return { plan, host };
  } finally {
    await t.close();
  }
}
