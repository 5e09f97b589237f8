// For tests that interrupt a deploy to a netns host: a seeded host, the CLI as a child whose
// output lines are watched as they come (to kill it or cut its link at a given moment), and the
// host's link cut and restored from inside its network namespace.
import { execa } from 'execa';
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, readlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { materializeFlake, SECRET_FILES, NIX_ENV, tempDir } from './fixtures.js';
import type { TestHost } from './hosts.js';
import { buildAt } from '../../src/demo/seed.js';
import { nixSshEnv } from '../../src/core/transport/index.js';
import { runCli, userEnv, type CliResult } from './cli.js';

export const HM = 'homeConfigurations.staging.activationPackage';
export const PROFILE = '/nix/var/nix/profiles/per-user/root/home-manager';
const BIN = resolve(import.meta.dirname, '../../bin/clawdeploy.mjs');

export async function must(h: TestHost, argv: string[]): Promise<string> {
  const r = await h.run(argv);
  if (r.exitCode !== 0) throw new Error(`${argv.join(' ')} on ${h.name}: ${r.stderr}`);
  return r.stdout.trim();
}

/** The host `h` running the fixture's base generation (1), and the fixture's flake pointed at it. */
export async function seed(h: TestHost, fixture: string, openclawRepo: string) {
  const flake = await materializeFlake(fixture, { openclawRepo, vars: { TARGET_staging: h.target, PROFILE_staging: PROFILE, SECRETS_DIR: '/run/agenix', GATEWAY_PORT_staging: '18789' } });
  for (const s of ['openclaw-gateway-token', 'anthropic', 'telegram-staging']) await h.writeFile(`/run/agenix/${s}`, SECRET_FILES[s]!, 0o600);
  const gen1 = await buildAt(flake.dir, HM, flake.baseRev);
  await execa('nix', ['copy', '--no-check-sigs', '--to', h.transport.storeUrl!, gen1], { env: { ...process.env, ...NIX_ENV, ...nixSshEnv(h.transport) } });
  await must(h, ['nix-env', '--profile', PROFILE, '--set', gen1]);
  await must(h, [`${PROFILE}/activate`]);
  const env = { CLAWDEPLOY_STATE_DIR: tempDir('state') };
  const cli = (...args: string[]) => runCli(['--ssh-config', h.sshConfig, ...args, '--flake', flake.dir], { env });
  return { flake, gen1, env, cli, args: (...a: string[]) => ['--ssh-config', h.sshConfig, ...a, '--flake', flake.dir] };
}

/** The running gateway's version, asked over RPC with the host's own token (as the checks do). */
export const version = async (h: TestHost) =>
  JSON.parse(await must(h, ['sh', '-c', `OPENCLAW_GATEWAY_TOKEN=$(cat /run/agenix/openclaw-gateway-token) exec ${PROFILE}/home-path/bin/openclaw gateway call status --json --port 18789`]))
    .runtimeVersion as string;
export const currentGen = async (h: TestHost) =>
  Number(
    (await must(h, ['nix-env', '--profile', PROFILE, '--list-generations']))
      .split('\n')
      .find((l) => l.includes('(current)'))!
      .trim()
      .split(/\s+/)[0],
  );

/** clawdeploy's files on the host, read on this machine (the host's /nix is rootDir/nix): readable while its link is down. */
export const hostFile = (h: TestHost, name: string): string | null => {
  const p = join(h.rootDir, `${PROFILE}.clawdeploy`, name);
  return existsSync(p) ? readFileSync(p, 'utf8') : null;
};
/** Whether one of clawdeploy's files exists on the host, a dangling symlink (the lock) included. */
export const hostHas = (h: TestHost, name: string): boolean => {
  try {
    lstatSync(join(h.rootDir, `${PROFILE}.clawdeploy`, name));
    return true;
  } catch {
    return false;
  }
};
/** The host's gateway pid (its pidfile under the host's /root). */
export const gatewayPid = (h: TestHost): string | null => {
  const p = join(h.rootDir, 'root/.openclaw/gateway.pid');
  return existsSync(p) ? readFileSync(p, 'utf8').trim() : null;
};
/** The host's watchdog processes ("[g]": the pattern must not match the shell that runs pgrep). */
export const watchdogProcesses = async (h: TestHost) => (await h.run(['pgrep', '-f', 'clawdeploy-watchdo[g]'])).stdout.trim();

/** Polls `ok` until it holds or `ms` pass; returns whether it held. */
export async function until(ok: () => boolean | Promise<boolean>, ms: number, everyMs = 250): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) {
    if (await ok()) return true;
    if (Date.now() >= end) return false;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface Line {
  text: string;
  /** Date.now() when it arrived. */
  at: number;
}

export interface RunningCli {
  readonly lines: Line[];
  /** The first line (stdout or stderr) matching `re`, waited for up to `ms`. */
  waitFor(re: RegExp, ms: number): Promise<Line>;
  kill(): void;
  /** The run's end: exit code and everything printed. */
  exited: Promise<CliResult>;
}

/** The built CLI as a child, as `runCli` runs it, with each line of output timestamped as it comes. */
export function startCli(args: string[], env: Record<string, string>): RunningCli {
  const child = spawn('node', [BIN, ...args], { env: { ...userEnv(), ...NIX_ENV, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Line[] = [];
  const text = { stdout: '', stderr: '' };
  const waiters = new Set<() => void>();
  for (const stream of ['stdout', 'stderr'] as const) {
    let rest = '';
    child[stream].setEncoding('utf8').on('data', (chunk: string) => {
      text[stream] += chunk;
      const parts = (rest + chunk).split('\n');
      rest = parts.pop()!;
      for (const p of parts) lines.push({ text: p, at: Date.now() });
      for (const w of waiters) w();
    });
  }
  let over = false;
  const exited = new Promise<CliResult>((done) => {
    child.on('close', (code, signal) => {
      over = true;
      for (const w of waiters) w();
      done({ code: code ?? (signal ? 128 : 1), stdout: text.stdout, stderr: text.stderr });
    });
  });
  return {
    lines,
    exited,
    kill: () => child.kill('SIGKILL'),
    waitFor(re, ms) {
      return new Promise((found, failed) => {
        const check = () => {
          const hit = lines.find((l) => re.test(l.text));
          if (hit || over) {
            waiters.delete(check);
            clearTimeout(timer);
            if (hit) found(hit);
            else failed(new Error(`the CLI exited without printing ${re}:\n${lines.map((l) => l.text).join('\n')}`));
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          failed(new Error(`no line matching ${re} within ${ms} ms:\n${lines.map((l) => l.text).join('\n')}`));
        }, ms);
        waiters.add(check);
        check();
      });
    },
  };
}

/** Cuts the host's link (its end of the veth pair, inside its namespace), or brings it back. */
export async function setLink(h: TestHost, state: 'up' | 'down'): Promise<void> {
  const links = (await execa('ip', ['-n', h.netns, '-o', 'link'])).stdout;
  const dev = /\d+: (cdt\d+b)@/.exec(links)?.[1];
  if (!dev) throw new Error(`no veth in ${h.netns}: ${links}`);
  await execa('ip', ['-n', h.netns, 'link', 'set', dev, state]);
}

/** The host's processes (machine pids, from its network namespace) whose command line matches `re`. */
export async function hostPids(h: TestHost, re: RegExp): Promise<number[]> {
  const pids = (await execa('ip', ['netns', 'pids', h.netns])).stdout.split('\n').filter(Boolean).map(Number);
  return pids.filter((p) => {
    try {
      return re.test(readFileSync(`/proc/${p}/cmdline`, 'utf8').replaceAll('\0', ' '));
    } catch {
      return false; // gone meanwhile
    }
  });
}

/** The generation the host's profile link names now (read on this machine: works while its link is down). */
export const profileLinkGen = (h: TestHost): number | null => {
  try {
    return Number(/-(\d+)-link$/.exec(readlinkSync(join(h.rootDir, PROFILE)))?.[1] ?? NaN) || null;
  } catch {
    return null;
  }
};
