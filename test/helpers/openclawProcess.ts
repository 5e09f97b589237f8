// Runs an OpenClaw implementation directly (no Nix): the stand-in (fixtures/…/openclaw.mjs under
// the machine's Node 20, with a meta file beside it as in its package) or the real npm package
// under its Node 24. The contract tests give both the same configs and the same assertions.
import { execa } from 'execa';
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, copyFileSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES_DIR } from '../../src/demo/fixtures.js';
import { REAL_OPENCLAW_VERSION } from '../../src/demo/realOpenclaw.js';
import { requireRealOpenclaw } from './realOpenclaw.js';

export interface OpenclawImpl {
  name: 'stand-in' | 'real';
  real: boolean;
  node: string;
  entry: string;
  version: string;
  /** How long one CLI call may take (the real one takes 3-20 s on 2 loaded cores). */
  cliTimeoutMs: number;
  /** How long a gateway may take to answer /readyz (the real one 20-100 s). */
  startTimeoutMs: number;
  /** Temp files of this implementation, removed by cleanup(). */
  cleanup(): void;
}

/** The stand-in, copied into a `share/` layout with its meta file (as openclaw.nix installs it). */
export function standInOpenclaw(version = REAL_OPENCLAW_VERSION, broken = false): OpenclawImpl {
  const dir = mkdtempSync(join(tmpdir(), 'clawdeploy-standin-'));
  mkdirSync(join(dir, 'share'));
  const entry = join(dir, 'share', 'openclaw.mjs');
  copyFileSync(join(FIXTURES_DIR, 'nix-openclaw/nix/packages/openclaw.mjs'), entry);
  writeFileSync(join(dir, 'share', 'openclaw-meta.json'), JSON.stringify({ version, broken, real: false }) + '\n');
  return { name: 'stand-in', real: false, node: '/usr/bin/node', entry, version, cliTimeoutMs: 30_000, startTimeoutMs: 20_000, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The installed real OpenClaw (throws with the install command when it is missing). */
export function realOpenclawImpl(): OpenclawImpl {
  const r = requireRealOpenclaw();
  return { name: 'real', real: true, node: r.node, entry: r.entry, version: r.version, cliTimeoutMs: 120_000, startTimeoutMs: 200_000, cleanup: () => undefined };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** The CLI's stdout as a JSON object (throws with the output when it is not JSON). */
export function jsonOf(r: CliResult): Record<string, unknown> {
  try {
    return JSON.parse(r.stdout) as Record<string, unknown>;
  } catch {
    throw new Error(`not JSON (exit ${r.code}):\n${r.stdout}\n--- stderr:\n${r.stderr}`);
  }
}

/** Runs `openclaw ARGS` with exactly `env` (plus PATH): nothing of the test's own OPENCLAW_* leaks in. */
export async function openclawCli(impl: OpenclawImpl, args: string[], env: Record<string, string>, opts: { timeoutMs?: number } = {}): Promise<CliResult> {
  const t0 = Date.now();
  const r = await execa(impl.node, [impl.entry, ...args], {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env },
    extendEnv: false,
    reject: false,
    timeout: opts.timeoutMs ?? impl.cliTimeoutMs,
    stdin: 'ignore',
  });
  return { code: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr), ms: Date.now() - t0 };
}

export interface GatewayProcess {
  pid: number;
  port: number;
  /** stdout + stderr so far. */
  log(): string;
  /** SIGTERM to its process group, SIGKILL after the deadline; resolves with the ms it took. */
  stop(deadlineMs?: number): Promise<number>;
  exited(): boolean;
}

/** Every gateway started and not yet stopped: stopAllGateways() ends them (afterAll, also on failure). */
const live = new Set<GatewayProcess>();

/**
 * Starts `openclaw gateway --port PORT` in its own process group, as the activation scripts do
 * (setsid), with HOME, OPENCLAW_STATE_DIR and OPENCLAW_CONFIG_PATH under `dir`.
 */
export function startGatewayProcess(impl: OpenclawImpl, opts: { dir: string; config: unknown; port: number; env?: Record<string, string> }): GatewayProcess {
  const { dir, port } = opts;
  mkdirSync(join(dir, 'home'), { recursive: true });
  mkdirSync(join(dir, 'state'), { recursive: true });
  const configPath = join(dir, 'openclaw.json');
  writeFileSync(configPath, JSON.stringify(opts.config, null, 2));
  const logPath = join(dir, 'gateway.log');
  const fd = openSync(logPath, 'w');
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: join(dir, 'home'), OPENCLAW_CONFIG_PATH: configPath, OPENCLAW_STATE_DIR: join(dir, 'state'), OPENCLAW_NIX_MODE: '1', ...opts.env };
  const child: ChildProcess = spawn(impl.node, [impl.entry, 'gateway', '--port', String(port)], { env, detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  let done = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((done = true), resolve())));
  const pid = child.pid!;
  const gw: GatewayProcess = {
    pid,
    port,
    log: () => readFileSync(logPath, 'utf8'),
    exited: () => done,
    stop: async (deadlineMs = 30_000) => {
      const t0 = Date.now();
      signalGroup(pid, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), deadlineMs);
      await exit;
      clearTimeout(timer);
      const ms = Date.now() - t0;
      signalGroup(pid, 'SIGKILL'); // anything it left in its group
      live.delete(gw);
      return ms;
    },
  };
  live.add(gw);
  return gw;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone already
  }
}

/** Stops every gateway still running (afterAll). */
export async function stopAllGateways(): Promise<void> {
  for (const gw of [...live]) await gw.stop(10_000);
}

export interface HttpAnswer {
  /** 0 when nothing answered. */
  status: number;
  body: string;
  json: Record<string, unknown> | null;
}

export async function httpRequest(port: number, path: string, method = 'GET'): Promise<HttpAnswer> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, { method, signal: AbortSignal.timeout(5000) });
    const body = await res.text();
    let json: Record<string, unknown> | null = null;
    try {
      json = JSON.parse(body) as Record<string, unknown>;
    } catch {
      json = null;
    }
    return { status: res.status, body, json };
  } catch {
    return { status: 0, body: '', json: null };
  }
}

/** Polls `probe` until it returns a value (not null), or fails after `deadlineMs` naming `what`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | null>, deadlineMs: number, intervalMs = 100): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const v = await probe();
    if (v !== null) return v;
    if (Date.now() > end) throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
