// Host preflight, strictly read-only: reachable, Nix version, current generation, secret
// files present (tested, never read), gateway state, and drift between the live host and its
// current generation. Every command goes through the transport as argv.
import type { Host } from '../inventory/schema.js';
import type { Finding, GenerationRef } from '../plan/schema.js';
import type { Transport } from '../transport/types.js';
import { openclawProgram } from '../plan/catalog.js';
import { parseGenerations } from './generations.js';
import { renderedConfigIn } from './layout.js';

export interface GatewayState {
  running: boolean;
  version: string | null;
  program: string | null;
  pid: number | null;
}

export interface HostState {
  nixVersion: string | null;
  current: GenerationRef | null;
  generations: Array<{ number: number; date: string; current: boolean }>;
  secretFiles: Array<{ path: string; option: string; present: boolean }>;
  gateway: GatewayState;
  /** The rendered config of the current generation (parsed), for the semantic diff. */
  currentConfig: unknown | null;
  findings: Finding[];
}

async function text(t: Transport, argv: string[]): Promise<string | null> {
  const r = await t.run(argv, { timeoutMs: 30_000 });
  return r.exitCode === 0 ? r.stdout.trim() : null;
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

type StatusJson = { gateway?: { version?: string; program?: string; pid?: number }; rpc?: { ok?: boolean } } | null;

export async function preflight(host: Host, t: Transport): Promise<HostState> {
  const findings: Finding[] = [];
  // Independent reads run at once over the shared connection, in three rounds.
  const [nixVersion, generationsText, secretFiles, home] = await Promise.all([
    text(t, ['nix-env', '--version']),
    text(t, ['nix-env', '--profile', host.profile, '--list-generations']),
    Promise.all(host.secretFiles.map(async (ref) => ({ ...ref, present: (await t.run(['test', '-r', ref.path], { timeoutMs: 10_000 })).exitCode === 0 }))),
    host.gateway.configPath.startsWith('~/') ? text(t, ['printenv', 'HOME']) : Promise.resolve(null),
  ]);
  if (!nixVersion) {
    findings.push({ code: 'nix-missing', severity: 'block', message: `Nix is not installed or not on PATH on host '${host.name}'`, fix: 'install Nix on the host (multi-user, or single-user for the deploy user) and make nix-env reachable over ssh' });
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
  const curPath = cur ? await text(t, ['readlink', '-f', `${host.profile}-${cur.number}-link`]) : null;
  const current: GenerationRef | null = cur && curPath?.startsWith('/nix/store/') ? { number: cur.number, storePath: curPath } : null;
  const gateway: GatewayState = { running: false, version: null, program: null, pid: null };
  if (!current) {
    findings.push({ code: 'first-deploy', severity: 'info', message: `${host.profile} has no generation on '${host.name}' yet: this is the first deployment, with no generation to roll back to` });
    return { nixVersion, current, generations, secretFiles, gateway, currentConfig: null, findings };
  }

  const genConfig = renderedConfigIn(host, current.storePath);
  const live = host.gateway.configPath.startsWith('~/') ? `${home ?? '/root'}${host.gateway.configPath.slice(1)}` : host.gateway.configPath;
  const [statusText, configText, sums, declared] = await Promise.all([
    text(t, [openclawProgram(host), 'gateway', 'status', '--json', '--port', String(host.gateway.port)]),
    text(t, ['cat', genConfig]),
    text(t, ['sha256sum', '--', live, genConfig]),
    text(t, ['readlink', '-f', openclawProgram(host)]),
  ]);
  const status = parseJson(statusText) as StatusJson;
  if (status?.rpc?.ok) {
    gateway.running = true;
    gateway.version = status.gateway?.version ?? null;
    gateway.program = status.gateway?.program ?? null;
    gateway.pid = status.gateway?.pid ?? null;
  } else {
    findings.push({ code: 'gateway-down', severity: 'warn', message: `the gateway on '${host.name}' does not answer on port ${host.gateway.port} right now`, fix: 'look at the gateway log before deploying: the deploy restarts it, which may hide why it is down' });
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
  if (gateway.running && gateway.program) {
    // Compare store paths: a gateway may report its package or its binary inside it.
    const running = storePathOf(await text(t, ['readlink', '-f', gateway.program]));
    const wanted = storePathOf(declared);
    if (wanted && running && wanted !== running) {
      findings.push({
        code: 'drift-program',
        severity: 'block',
        message: `the running gateway on '${host.name}' is ${running}, not the program of generation ${current.number} (${wanted})`,
        fix: 'something outside clawdeploy started another openclaw; stop it, or re-activate the current generation, then plan again',
      });
    }
  }
  return { nixVersion, current, generations, secretFiles, gateway, currentConfig: parseJson(configText), findings };
}

/** `/nix/store/<hash>-name` of a path inside the store, or null. */
export function storePathOf(path: string | null): string | null {
  return path?.match(/^\/nix\/store\/[0-9a-z]{32}-[^/]+/)?.[0] ?? null;
}
