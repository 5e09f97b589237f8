// Host preflight, strictly read-only: reachable, Nix version, current generation, secret
// files present (tested, never read), gateway state, and drift between the live host and its
// current generation. Every command goes through the transport as argv.
import type { Host } from '../inventory/schema.js';
import type { Finding, GenerationRef } from '../plan/schema.js';
import type { Transport } from '../transport/types.js';
import { CLI_TIMEOUT_MS, openclawCliArgv } from '../plan/catalog.js';
import { readGatewayStatus, readVersion } from '../openclaw/surface.js';
import { parseGenerations } from './generations.js';
import { renderedConfigIn } from './layout.js';
import { findHalfSwitched } from './halfSwitched.js';
import { findTested } from './tested.js';
import { asProfileUser } from '../plan/runAs.js';
import { readProfileGenerations } from './profileAccess.js';
import type { NewestGeneration } from '../plan/nextGeneration.js';
import { programVersion, type Once } from './programVersion.js';

export interface GatewayState {
  running: boolean;
  /** The running server's version and build (rpc.server). */
  version: string | null;
  buildId: string | null;
  /** The process listening on the gateway port. */
  pid: number | null;
}

export interface HostState {
  nixVersion: string | null;
  current: GenerationRef | null;
  generations: Array<{ number: number; date: string; current: boolean }>;
  /** The highest-numbered generation and the store path its link names: what `nix-env --set` numbers from. */
  newest: NewestGeneration | null;
  secretFiles: Array<{ path: string; option: string; present: boolean }>;
  gateway: GatewayState;
  /**
   * The rendered config of the current generation (parsed), for the semantic diff. On a
   * half-switched host, `current` and this are the generation that is active, not the profile's.
   */
  currentConfig: unknown | null;
  findings: Finding[];
}

/** A command's stdout (exit 0), or null; `anyExit`: its stdout whatever the exit (the CLI prints JSON on failure too). */
async function text(t: Transport, argv: string[], anyExit = false): Promise<string | null> {
  const r = await t.run(argv, { timeoutMs: 60_000 });
  return r.exitCode === 0 || (anyExit && r.exitCode !== null) ? r.stdout.trim() : null;
}

function parseJson(s: string | null): unknown | null {
  if (!s) return null;
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return null;
  }
}

const SECRET_MISSING_FIX = (path: string) =>
  `make the secret exist on the host before deploying: with agenix, add it to age.secrets and run the activation that decrypts it; with sops-nix, add it to sops.secrets; then check with: test -r ${path}`;

/** `once`: a rollout's shared work (pipeline/planMemo.ts), for reads that are the same on every host. */
export async function preflight(host: Host, t: Transport, once?: Once): Promise<HostState> {
  const findings: Finding[] = [];
  // The gateway's world (its home, secrets, config, CLI, user unit) is read as the profile's owner:
  // with deploy-rs's `user`, that is not the one who logged in.
  const owner = (argv: string[]) => asProfileUser(host, argv);
  // Independent reads run at once over the shared connection, in three rounds.
  const [nixVersion, generationsText, secretFiles, home] = await Promise.all([
    text(t, ['nix-env', '--version']),
    readProfileGenerations(host, t),
    Promise.all(host.secretFiles.map(async (ref) => ({ ...ref, present: (await t.run(owner(['test', '-r', ref.path]), { timeoutMs: 10_000 })).exitCode === 0 }))),
    host.gateway.configPath.startsWith('~/') ? text(t, owner(['printenv', 'HOME'])) : Promise.resolve(null),
  ]);
  if (!nixVersion) {
    findings.push({
      code: 'nix-missing',
      severity: 'block',
      message: `Nix is not installed or not on PATH on host '${host.name}'`,
      fix: 'install Nix on the host (multi-user, or single-user for the deploy user) and make nix-env reachable over ssh',
    });
  }
  for (const ref of secretFiles.filter((s) => !s.present)) {
    findings.push({
      code: 'secret-file-missing',
      severity: 'block',
      message: `secret file ${ref.path} (${ref.option}) is missing or unreadable on '${host.name}': nix-openclaw would silently pass the path itself instead of the secret, and what uses it fails`,
      fix: SECRET_MISSING_FIX(ref.path),
    });
  }

  const generations = parseGenerations(generationsText ?? '');
  const cur = generations.find((g) => g.current) ?? null;
  const top = generations.reduce<(typeof generations)[number] | null>((a, g) => (a && a.number > g.number ? a : g), null);
  // The highest link as nix-env compares it: its target, not resolved further.
  const [curPath, topLink] = await Promise.all([
    cur ? text(t, owner(['readlink', '-f', `${host.profile}-${cur.number}-link`])) : null,
    top ? text(t, owner(['readlink', '--', `${host.profile}-${top.number}-link`])) : null,
  ]);
  const newest: NewestGeneration | null = top ? { number: top.number, storePath: topLink?.startsWith('/nix/store/') ? topLink : null } : null;
  const current: GenerationRef | null = cur && curPath?.startsWith('/nix/store/') ? { number: cur.number, storePath: curPath } : null;
  const gateway: GatewayState = { running: false, version: null, buildId: null, pid: null };
  if (!current) {
    findings.push({ code: 'first-deploy', severity: 'info', message: `${host.profile} has no generation on '${host.name}' yet: this is the first deployment, with no generation to roll back to` });
    return { nixVersion, current, generations, newest, secretFiles, gateway, currentConfig: null, findings };
  }

  const genConfig = renderedConfigIn(host, current.storePath);
  const live = host.gateway.configPath.startsWith('~/') ? `${home ?? '/root'}${host.gateway.configPath.slice(1)}` : host.gateway.configPath;
  const systemd = host.gateway.manager === 'systemd-user' || host.gateway.manager === 'systemd-system';
  // The CLI is given the current generation's config: the port and token of what runs now.
  const [statusText, configText, sums, versionText, mainPid] = await Promise.all([
    text(t, owner(openclawCliArgv(host, null, ['gateway', 'status', '--json', '--timeout', String(CLI_TIMEOUT_MS)])), true),
    text(t, ['cat', genConfig]),
    text(t, owner(['sha256sum', '--', live, genConfig])),
    programVersion(host, t, current, once),
    systemd ? text(t, owner(['systemctl', ...(host.gateway.manager === 'systemd-user' ? ['--user'] : []), 'show', '--property=MainPID', '--value', host.gateway.unit])) : Promise.resolve(null),
  ]);
  const status = statusText ? readGatewayStatus(statusText) : null;
  if (status?.rpcOk) {
    gateway.running = true;
    gateway.version = status.serverVersion ?? status.version;
    gateway.buildId = status.buildId;
    gateway.pid = status.listeners[0]?.pid ?? null;
  } else {
    findings.push({
      code: 'gateway-down',
      severity: 'warn',
      message: `the gateway on '${host.name}' does not answer on port ${status?.port ?? host.gateway.port} right now${status?.error ? ` (${status.error})` : ''}`,
      fix: 'look at the gateway log before deploying: the deploy restarts it, which may hide why it is down',
    });
  }

  // Drift: hand edits on a declarative host (the live config or the running program is not the generation's).
  const [liveSum, genSum] = (sums ?? '').split('\n').map((l) => l.split(/\s+/)[0]);
  if (!sums || !liveSum || liveSum !== genSum) {
    findings.push({
      code: 'drift-config',
      severity: 'block',
      message: `the live config ${live} on '${host.name}' is not the one of generation ${current.number}${sums ? ' (it was edited by hand or replaced)' : ' (it is missing)'}`,
      fix: `put the change into the flake instead of editing the host; to restore the declared config, re-activate generation ${current.number}; then plan again`,
    });
  }
  const drift = gateway.running ? programDrift(readVersion(versionText ?? ''), gateway) : null;
  if (drift) {
    findings.push({
      code: 'drift-program',
      severity: 'block',
      message: `the running gateway on '${host.name}' is ${drift.running}, not the openclaw of generation ${current.number} (${drift.wanted})`,
      fix: 'something outside clawdeploy started another openclaw (or the unit was not restarted); stop it, or re-activate the current generation, then plan again',
    });
  }
  const drifted = () => findings.some((f) => f.code === 'drift-config' || f.code === 'drift-program');
  // Drift that a `test` deploy's build explains exactly: the profile is still the boot default.
  const tested = drifted() ? await findTested(host, t, { current, liveSum: liveSum ?? null, gateway, programDrift: (wanted) => programDrift(wanted, gateway) !== null }) : null;
  if (tested) {
    const kept = findings.filter((f) => f.code !== 'drift-config' && f.code !== 'drift-program');
    const liveConfig = await text(t, ['cat', renderedConfigIn(host, tested.storePath)]);
    return { nixVersion, current, generations, newest, secretFiles, gateway, currentConfig: parseJson(liveConfig), findings: [...kept, tested.finding, ...unitDrift(host, status, gateway, mainPid)] };
  }
  // Drift that another generation of the profile explains exactly is a half-switched host.
  if (drifted()) {
    const half = await findHalfSwitched(host, t, {
      current,
      numbers: generations.map((g) => g.number),
      liveSum: liveSum ?? null,
      gateway,
      programDrift: (wanted) => programDrift(wanted, gateway) !== null,
    });
    if (half) {
      const kept = findings.filter((f) => f.code !== 'drift-config' && f.code !== 'drift-program');
      const activeConfig = await text(t, ['cat', renderedConfigIn(host, half.active.storePath)]);
      return {
        nixVersion,
        current: half.active,
        generations,
        newest,
        secretFiles,
        gateway,
        currentConfig: parseJson(activeConfig),
        findings: [...kept, half.finding, ...unitDrift(host, status, gateway, mainPid)],
      };
    }
  }
  findings.push(...unitDrift(host, status, gateway, mainPid));
  return { nixVersion, current, generations, newest, secretFiles, gateway, currentConfig: parseJson(configText), findings };
}

/** The port's listener is not the unit's process: a gateway started by hand answers instead. */
function unitDrift(host: Host, status: ReturnType<typeof readGatewayStatus> | null, gateway: GatewayState, mainPid: string | null): Finding[] {
  const findings: Finding[] = [];
  const unitPid = Number(mainPid ?? '0');
  if (gateway.running && status && unitPid > 0 && status.listeners.length && !status.listeners.some((l) => l.pid === unitPid)) {
    findings.push({
      code: 'drift-program',
      severity: 'block',
      message: `port ${status.port ?? host.gateway.port} on '${host.name}' is served by pid ${status.listeners.map((l) => l.pid).join(', ')}, not by the ${host.gateway.unit} unit (pid ${unitPid})`,
      fix: `stop the gateway that was started by hand, then restart ${host.gateway.unit} and plan again`,
    });
  }
  return findings;
}

/** The running server is not the generation's openclaw (version, or the commit in its build id). */
export function programDrift(wanted: { version: string; commit: string | null } | null, running: GatewayState): { wanted: string; running: string } | null {
  if (!wanted || !running.version) return null;
  const label = (v: string, c: string | null) => `openclaw ${v}${c ? ` (${c})` : ''}`;
  if (running.version !== wanted.version) return { wanted: label(wanted.version, wanted.commit), running: label(running.version, running.buildId) };
  if (wanted.commit && running.buildId && !running.buildId.includes(wanted.commit)) return { wanted: label(wanted.version, wanted.commit), running: label(running.version, running.buildId) };
  return null;
}

/** `/nix/store/<hash>-name` of a path inside the store, or null. */
export function storePathOf(path: string | null): string | null {
  return path?.match(/^\/nix\/store\/[0-9a-z]{32}-[^/]+/)?.[0] ?? null;
}
