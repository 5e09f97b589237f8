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

/** `~/x` on the host, resolved with the host's own HOME (no shell does it for us). */
async function expandHome(t: Transport, path: string): Promise<string> {
  if (!path.startsWith('~/')) return path;
  const home = await text(t, ['printenv', 'HOME']);
  return `${home ?? '/root'}${path.slice(1)}`;
}

function parseJson(s: string | null): unknown | null {
  if (!s) return null;
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return null;
  }
}

export async function preflight(host: Host, t: Transport): Promise<HostState> {
  const findings: Finding[] = [];
  const nixVersion = await text(t, ['nix-env', '--version']);
  if (!nixVersion) {
    findings.push({ code: 'nix-missing', severity: 'block', message: `Nix is not installed or not on PATH on host '${host.name}'`, fix: 'install Nix on the host (multi-user, or single-user for the deploy user) and make nix-env reachable over ssh' });
  }

  const generations = parseGenerations((await text(t, ['nix-env', '--profile', host.profile, '--list-generations'])) ?? '');
  const cur = generations.find((g) => g.current) ?? null;
  const curPath = cur ? await text(t, ['readlink', '-f', `${host.profile}-${cur.number}-link`]) : null;
  const current: GenerationRef | null = cur && curPath?.startsWith('/nix/store/') ? { number: cur.number, storePath: curPath } : null;
  if (!current) {
    findings.push({ code: 'first-deploy', severity: 'info', message: `${host.profile} has no generation on '${host.name}' yet: this is the first deployment, with no generation to roll back to` });
  }

  const secretFiles = [];
  for (const ref of host.secretFiles) {
    const r = await t.run(['test', '-r', ref.path], { timeoutMs: 10_000 });
    const present = r.exitCode === 0;
    secretFiles.push({ ...ref, present });
    if (!present) {
      findings.push({
        code: 'secret-file-missing',
        severity: 'block',
        message: `secret file ${ref.path} (${ref.option}) is missing or unreadable on '${host.name}': nix-openclaw would silently pass the path itself instead of the secret, and what uses it fails`,
        fix: `make the secret exist on the host before deploying: with agenix, add it to age.secrets and run the activation that decrypts it; with sops-nix, add it to sops.secrets; then check with: test -r ${ref.path}`,
      });
    }
  }

  const gateway: GatewayState = { running: false, version: null, program: null, pid: null };
  let currentConfig: unknown | null = null;
  if (current) {
    const status = parseJson(await text(t, [openclawProgram(host), 'gateway', 'status', '--json', '--port', String(host.gateway.port)])) as
      | { gateway?: { version?: string; program?: string; pid?: number }; rpc?: { ok?: boolean } }
      | null;
    if (status?.rpc?.ok) {
      gateway.running = true;
      gateway.version = status.gateway?.version ?? null;
      gateway.program = status.gateway?.program ?? null;
      gateway.pid = status.gateway?.pid ?? null;
    } else {
      findings.push({ code: 'gateway-down', severity: 'warn', message: `the gateway on '${host.name}' does not answer on port ${host.gateway.port} right now`, fix: 'look at the gateway log before deploying: the deploy restarts it, which may hide why it is down' });
    }

    const genConfig = renderedConfigIn(host, current.storePath);
    currentConfig = parseJson(await text(t, ['cat', genConfig]));
    await detectDrift(host, t, current, genConfig, gateway, findings);
  }

  return { nixVersion, current, generations, secretFiles, gateway, currentConfig, findings };
}

/** Hand edits on a declarative host: the live config or the running program is not the generation's. */
async function detectDrift(host: Host, t: Transport, current: GenerationRef, genConfig: string, gateway: GatewayState, findings: Finding[]): Promise<void> {
  const live = await expandHome(t, host.gateway.configPath);
  const sums = await text(t, ['sha256sum', '--', live, genConfig]);
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
    const declared = storePathOf(await text(t, ['readlink', '-f', openclawProgram(host)]));
    const running = storePathOf(await text(t, ['readlink', '-f', gateway.program]));
    if (declared && running && declared !== running) {
      findings.push({
        code: 'drift-program',
        severity: 'block',
        message: `the running gateway on '${host.name}' is ${running}, not the program of generation ${current.number} (${declared})`,
        fix: 'something outside clawdeploy started another openclaw; stop it, or re-activate the current generation, then plan again',
      });
    }
  }
}

/** `/nix/store/<hash>-name` of a path inside the store, or null. */
export function storePathOf(path: string | null): string | null {
  return path?.match(/^\/nix\/store\/[0-9a-z]{32}-[^/]+/)?.[0] ?? null;
}
