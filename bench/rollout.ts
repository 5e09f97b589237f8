// A fleet rollout against a single deploy, side by side in one run, on netns ssh hosts (F10 bumped
// to 2026.6.11, one flake for both):
//   single   `clawdeploy apply solo --yes`: one host;
//   rollout  `clawdeploy apply --on @fleet --parallel 10 --yes`: 20 hosts, in waves of a canary
//            (the first host), then 10, then 9, each validated before the next.
// Target: the rollout takes at most 3 times the single deploy. Also printed: the peak memory of
// each run (see sampleMemory). Needs root (network-namespace hosts). ROUNDS (default 1): each round
// first resets every host to generation 1. SHOW_LOG=1 prints every line of each run with its time.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { execa } from 'execa';
import { cleanupFixtures, createOpenclawRepo, materializeFlake, NIX_ENV, SECRET_FILES, tempDir } from '../src/demo/fixtures.js';
import { buildAt } from '../src/demo/seed.js';
import { nixSshEnv } from '../src/core/transport/index.js';
import { boundedAll } from '../src/core/fleet/bounded.js';
import { planWaves } from '../src/core/fleet/waves.js';
import { createTestHost, hostsAvailable, type TestHost } from '../test/helpers/hosts.js';
import { PROFILE, must, until } from '../test/helpers/sshDeploy.js';
import { userEnv } from '../test/helpers/cli.js';
import { median } from './lib.js';
import { available as perfAvailable, formatKinds, startKinds, type KindsReport } from './cpuKinds.js';

// CPU_KINDS=1: each run's CPU by kind of process, from `perf record -a` (see cpuKinds.ts).
const cpuKinds = Boolean(process.env['CPU_KINDS']);
if (cpuKinds && !perfAvailable()) {
  console.log('rollout: CPU_KINDS=1 needs perf (linux-perf): FAIL');
  process.exit(1);
}

// FLEET=N: fewer (or more) hosts, to iterate faster than on the full 20.
const FLEET = Number(process.env['FLEET'] ?? 20);
const PARALLEL = 10;
const TARGET = 3;
const rounds = Number(process.env['ROUNDS'] ?? 1);
// CANARY=N passes --canary N (default: the rollout's own, one host).
const canary = process.env['CANARY'];
const ATTR = 'homeConfigurations.fleet.activationPackage';
const BIN = resolve(import.meta.dirname, '../bin/clawdeploy.mjs');
const SECRETS = ['openclaw-gateway-token', 'anthropic', 'telegram-staging'];
const NAMES = Array.from({ length: FLEET }, (_, i) => `r${String(i + 1).padStart(2, '0')}`);

interface Line {
  at: number;
  text: string;
}
interface Memory {
  /** VmHWM of the clawdeploy (node) process: the kernel's own peak, last read while it ran. */
  cliKb: number;
  /** Highest sum of VmRSS over the CLI and every process it started, at one sample. */
  treeKb: number;
  /** Most such processes alive at one sample. */
  procs: number;
}
/** CPU seconds (user + system) spent during a run. */
interface Cpu {
  /** The CLI and every process it started and waited for, plus its detached ssh masters. */
  cli: number;
  /** Of that, the clawdeploy (node) process itself, last read while it ran. */
  node: number;
  /** The hosts' own processes (sshd sessions, nix-env, activation, gateways): on this machine too. */
  hosts: number;
  /** Everything else on the machine: other work, this benchmark, the kernel. */
  rest: number;
}
interface Run {
  seconds: number;
  lines: Line[];
  memory: Memory;
  cpu: Cpu;
  kinds?: KindsReport;
}

const TICK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
const readKb = (pid: number, field: string): number => {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0; // gone meanwhile
  }
};
/** A process's CPU ticks: its own, and with `children` those of the children it waited for. */
const ticksOf = (pid: number | 'self', children = true): number => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
    // Fields 14-17 of proc(5) (utime, stime, cutime, cstime), counted from field 3.
    return f[11]! + f[12]! + (children ? f[13]! + f[14]! : 0);
  } catch {
    return 0;
  }
};
/** Busy ticks of the whole machine, all cores (everything but idle and iowait). */
const machineTicks = (): number => {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  return f.reduce((a, b) => a + b, 0) - f[3]! - f[4]!;
};
/** Ticks of every process in the hosts' network namespaces (a reaped child's are its reaper's). */
const hostTicks = (hs: TestHost[]): number =>
  hs.flatMap((h) => (spawnSync('ip', ['netns', 'pids', h.netns], { encoding: 'utf8' }).stdout ?? '').split('\n').filter(Boolean).map(Number)).reduce((sum, p) => sum + ticksOf(p), 0);
const childrenOf = (pid: number): number[] => {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((t) => readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').split(' ').filter(Boolean).map(Number));
  } catch {
    return [];
  }
};

/**
 * Samples every 100 ms the CLI's memory and that of every process it started: its descendants
 * (ssh, nix copy, …) and its ssh control masters, which ControlPersist detaches from its tree:
 * they are found, once a second, by the run's private TMPDIR in their argv (their socket path).
 * The host side (sshd sessions, gateways) is the hosts' own and not counted.
 */
function sampleMemory(pid: number, marker: string): { stop(): Memory & { mastersTicks: number; nodeTicks: number } } {
  const m: Memory = { cliKb: 0, treeKb: 0, procs: 0 };
  let nodeTicks = 0;
  // The masters are nobody's children here: their CPU is read from them while they live.
  const masters = new Map<number, number>();
  const findMasters = () => {
    for (const d of readdirSync('/proc')) {
      if (!/^\d+$/.test(d) || masters.has(Number(d))) continue;
      try {
        if (readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(marker) && !descendants([pid]).has(Number(d))) masters.set(Number(d), 0);
      } catch {
        // gone meanwhile
      }
    }
  };
  const descendants = (roots: number[]) => {
    const seen = new Set<number>();
    const stack = [...roots];
    while (stack.length) {
      const p = stack.pop()!;
      if (seen.has(p)) continue;
      seen.add(p);
      stack.push(...childrenOf(p));
    }
    return seen;
  };
  let ticks = 0;
  const sample = () => {
    if (ticks++ % 10 === 0) findMasters();
    // VmHWM only grows: its last read is the peak, but for what the last 100 ms added.
    m.cliKb = Math.max(m.cliKb, readKb(pid, 'VmHWM'));
    nodeTicks = Math.max(nodeTicks, ticksOf(pid, false));
    for (const [p, was] of masters) masters.set(p, Math.max(was, ticksOf(p, false)));
    const alive = [...descendants([pid, ...masters.keys()])].map((p) => readKb(p, 'VmRSS')).filter((kb) => kb > 0);
    m.treeKb = Math.max(
      m.treeKb,
      alive.reduce((a, b) => a + b, 0),
    );
    m.procs = Math.max(m.procs, alive.length);
  };
  sample();
  const timer = setInterval(sample, 100);
  return {
    stop() {
      clearInterval(timer);
      return { ...m, nodeTicks, mastersTicks: [...masters.values()].reduce((a, b) => a + b, 0) };
    },
  };
}

/**
 * The built CLI as a user runs it, timed from spawn to exit, each output line with its time (s).
 * Its CPU is what this process gains in children's time when it reaps it (the CLI's and all it waited for).
 */
function runCli(args: string[], env: Record<string, string>, hosts: TestHost[]): Promise<Run & { code: number }> {
  // A private TMPDIR: the CLI's ssh control sockets live under it, which names its masters.
  const tmp = tempDir('cli-tmp');
  const before = { self: ticksOf('self'), hosts: hostTicks(hosts), machine: machineTicks() };
  const trace = cpuKinds ? startKinds() : null;
  const hostPids = trace ? hosts.flatMap((h) => (spawnSync('ip', ['netns', 'pids', h.netns], { encoding: 'utf8' }).stdout ?? '').split('\n').filter(Boolean).map(Number)) : [];
  const from = process.hrtime.bigint();
  const t0 = performance.now();
  const child = spawn('node', [BIN, ...args], { env: { ...userEnv(), ...NIX_ENV, ...env, TMPDIR: tmp }, stdio: ['ignore', 'pipe', 'pipe'] });
  const sampler = sampleMemory(child.pid!, tmp);
  const lines: Line[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream.setEncoding('utf8').on('data', (chunk: string) => {
      const at = (performance.now() - t0) / 1000;
      const parts = (rest + chunk).split('\n');
      rest = parts.pop()!;
      for (const text of parts) lines.push({ at, text });
    });
  }
  return new Promise((done, failed) => {
    let seconds = 0;
    let machine = 0;
    let to = 0n;
    // Only against a hang: a run that never ends fails the benchmark instead of holding the hosts.
    const hang = setTimeout(() => child.kill('SIGKILL'), 900_000);
    child.once('error', failed);
    child.once('exit', () => {
      clearTimeout(hang);
      seconds = (performance.now() - t0) / 1000;
      to = process.hrtime.bigint();
      machine = machineTicks() - before.machine;
    });
    child.once('close', (code) => {
      const { mastersTicks, nodeTicks, ...memory } = sampler.stop();
      const cli = ticksOf('self') - before.self + mastersTicks;
      const hostSide = hostTicks(hosts) - before.hosts;
      const run = { code: code ?? 1, seconds, lines, memory, cpu: { cli: cli / TICK, node: nodeTicks / TICK, hosts: hostSide / TICK, rest: (machine - cli - hostSide) / TICK } };
      if (!trace) return done(run);
      trace.stop({ cliPid: child.pid!, hostPids, from, to }).then((kinds) => done({ ...run, kinds }), failed);
    });
  });
}

const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
const s = (x: number) => `${x.toFixed(1)} s`;

/** When each phase (`== …` line) started, per host, from a run's lines: `[host] == phase` or, for one host, `== phase`. */
function phases(lines: Line[], single?: string): Map<string, Array<{ phase: string; at: number }>> {
  const out = new Map<string, Array<{ phase: string; at: number }>>();
  for (const l of lines) {
    const m = single ? /^== (.*)$/.exec(l.text) : /^\[([a-z0-9-]+)\] == (.*)$/.exec(l.text);
    if (!m) continue;
    const host = single ?? m[1]!;
    const phase = (single ? m[1]! : m[2]!).replace(host, 'the host').replace(/\d+/g, 'N');
    if (!out.has(host)) out.set(host, []);
    out.get(host)!.push({ phase, at: l.at });
  }
  return out;
}

/** Where the time went: the single deploy's phases, then the rollout's waves with the same phases (median and max over a wave's hosts). */
function breakdown(single: Run, rollout: Run): string[] {
  const out: string[] = [];
  const soloPhases = phases(single.lines, 'solo').get('solo') ?? [];
  const durations = (ps: Array<{ phase: string; at: number }>, end: number) => ps.map((p, i) => ({ phase: p.phase, took: (ps[i + 1]?.at ?? end) - p.at }));
  out.push(
    `  single: first phase at ${s(soloPhases[0]?.at ?? NaN)}; ${durations(soloPhases, single.seconds)
      .map((d) => `${d.phase} ${s(d.took)}`)
      .join(', ')}; exit at ${s(single.seconds)}`,
  );
  const perHost = phases(rollout.lines);
  const waveStarts = rollout.lines.filter((l) => /^== (canary|wave) .*: (?!every host|FAILED)/.test(l.text));
  const planned = rollout.lines.filter((l) => /^plan [a-z0-9-]+: /.test(l.text));
  out.push(
    `  rollout: reachability, then the first host planned at ${s(planned[0]?.at ?? NaN)}, all ${planned.length} by ${s(planned.at(-1)?.at ?? NaN)}; the first wave starts at ${s(waveStarts[0]?.at ?? NaN)}`,
  );
  for (const w of waveStarts) {
    const label = /^== (.*?): /.exec(w.text)![1]!;
    const hosts = w.text.slice(w.text.indexOf(': ') + 2).split(', ');
    const end = rollout.lines.find((l) => l.at >= w.at && l.text.startsWith(`== ${label}: every host validated`))?.at ?? NaN;
    out.push(`    ${label} (${hosts.length} host${hosts.length === 1 ? '' : 's'}): ${s(w.at)} -> ${s(end)}, ${s(end - w.at)}`);
    // Per phase, over the wave's hosts: from the wave's start to the host's first phase, then each phase's length.
    const rows = new Map<string, number[]>();
    for (const h of hosts) {
      const ps = (perHost.get(h) ?? []).filter((p) => p.at >= w.at);
      const done = rollout.lines.find((l) => l.at >= w.at && l.text.startsWith(`[${h}] succeeded`))?.at ?? end;
      const add = (k: string, v: number) => rows.set(k, [...(rows.get(k) ?? []), v]);
      if (ps[0]) add('planned again (wave start -> its first phase)', ps[0].at - w.at);
      for (const d of durations(ps, done)) add(d.phase, d.took);
      add('waiting for the wave (host done -> wave done)', end - done);
    }
    for (const [k, v] of rows) out.push(`      ${k}: median ${s(median(v))}, max ${s(Math.max(...v))}`);
  }
  return out;
}

if (!hostsAvailable()) {
  console.log('rollout: needs root, ip netns, unshare and /usr/sbin/sshd (netns test hosts): FAIL');
  process.exit(1);
}
// Ctrl-C: exit through the exit hook, which tears the hosts down.
process.once('SIGINT', () => process.exit(130));

const cores = availableParallelism();
const made: TestHost[] = [];
try {
  const repo = (await createOpenclawRepo()).path;
  await boundedAll(['solo', ...NAMES], 6, async (n) => {
    made.push(await createTestHost(n));
  });
  const byName = new Map(made.map((h) => [h.name, h]));
  const hosts = ['solo', ...NAMES].map((n) => byName.get(n)!);
  const fleet = hosts.slice(1);
  // No host is tagged canary: the rollout's canary is its first host.
  const inventory = Object.fromEntries(hosts.map((h) => [h.name, { target: h.target, tags: h.name === 'solo' ? [] : ['fleet'] }]));
  const flake = await materializeFlake('f10-fleet-bump', { openclawRepo: repo, vars: { FLEET: JSON.stringify(inventory), FLEET_PORT: '18789', FLEET_PROFILE: PROFILE, SECRETS_DIR: '/run/agenix' } });
  const gen1 = await buildAt(flake.dir, ATTR, flake.baseRev);
  const sshConfig = join(tempDir('fleet-ssh'), 'config');
  writeFileSync(sshConfig, hosts.map((h) => readFileSync(h.sshConfig, 'utf8')).join('\n'));
  await boundedAll(hosts, 4, async (h) => {
    for (const sec of SECRETS) await h.writeFile(`/run/agenix/${sec}`, SECRET_FILES[sec]!, 0o600);
    await execa('nix', ['copy', '--no-check-sigs', '--to', h.transport.storeUrl!, gen1], { env: { ...process.env, ...NIX_ENV, ...nixSshEnv(h.transport) } });
  });
  // Untimed: the new generation built on this machine, the inventory and code caches filled.
  await buildAt(flake.dir, ATTR);
  const warm = await runCli(['--ssh-config', sshConfig, 'plan', 'solo', '--flake', flake.dir, '--json'], { CLAWDEPLOY_STATE_DIR: tempDir('state') }, hosts);
  if (warm.code !== 0) throw new Error(`warm-up plan failed:\n${warm.lines.map((l) => l.text).join('\n')}`);

  const onNew = (h: TestHost) => readlinkSync(join(h.rootDir, dirname(PROFILE), readlinkSync(join(h.rootDir, PROFILE)))) !== gen1;
  /** Every host back on generation 1 (a new generation number), its gateway answering. */
  const reset = async () => {
    await boundedAll(hosts, 5, async (h) => {
      await must(h, ['nix-env', '--profile', PROFILE, '--set', gen1]);
      await must(h, [`${PROFILE}/activate`]);
    });
    await boundedAll(hosts, 5, async (h) => {
      const up = await until(async () => (await h.run(['curl', '-fsS', '-o', '/dev/null', '--max-time', '1', 'http://127.0.0.1:18789/healthz'])).exitCode === 0, 60_000, 100);
      if (!up) throw new Error(`${h.name}: the gateway of generation 1 did not come up`);
    });
  };
  const runs: Array<{ single: Run; rollout: Run }> = [];
  const show = (name: string, r: Run) => process.env['SHOW_LOG'] && console.log(`--- ${name}\n${r.lines.map((l) => `${l.at.toFixed(2).padStart(7)} ${l.text}`).join('\n')}`);

  const waves = planWaves(fleet, { parallel: PARALLEL, ...(canary ? { canary: Number(canary) } : {}) }).map((w) => w.hosts.length);
  console.log(
    `rollout to ${FLEET} netns hosts (--parallel ${PARALLEL}${canary ? ` --canary ${canary}` : ''}: waves of ${waves.join(', ')}) against apply to one host; ${rounds} round${rounds === 1 ? '' : 's'}; ${cores} cores, load average at start ${loadavg()[0]!.toFixed(2)}`,
  );
  for (let i = 1; i <= rounds; i++) {
    await reset();
    const env = { CLAWDEPLOY_STATE_DIR: tempDir('state') };
    const single = async () => {
      const r = await runCli(['--ssh-config', sshConfig, 'apply', 'solo', '--flake', flake.dir, '--yes'], env, hosts);
      show('single', r);
      if (r.code !== 0 || !onNew(hosts[0]!)) throw new Error(`round ${i}: apply solo failed (exit ${r.code}):\n${r.lines.map((l) => l.text).join('\n')}`);
      return r;
    };
    const rollout = async () => {
      const r = await runCli(
        ['--ssh-config', sshConfig, 'apply', '--on', '@fleet', '--parallel', String(PARALLEL), ...(canary ? ['--canary', canary] : []), '--flake', flake.dir, '--yes'],
        env,
        hosts,
      );
      show('rollout', r);
      const notNew = fleet.filter((h) => !onNew(h)).map((h) => h.name);
      if (r.code !== 0 || notNew.length)
        throw new Error(`round ${i}: the rollout failed (exit ${r.code}; not on the new generation: ${notNew.join(', ') || 'none'}):\n${r.lines.map((l) => l.text).join('\n')}`);
      return r;
    };
    // Alternate which goes first, so neither always runs on a machine the other just loaded.
    let a: Run, b: Run;
    if (i % 2) {
      a = await single();
      b = await rollout();
    } else {
      b = await rollout();
      a = await single();
    }
    runs.push({ single: a, rollout: b });
    console.log(`  round ${i}: single ${s(a.seconds)}, rollout ${s(b.seconds)}, ratio ${(b.seconds / a.seconds).toFixed(2)}`);
  }
  const med = (f: (r: { single: Run; rollout: Run }) => number) => median(runs.map(f));
  const single = med((r) => r.single.seconds);
  const rollout = med((r) => r.rollout.seconds);
  const ratio = med((r) => r.rollout.seconds / r.single.seconds);
  const max = (k: 'single' | 'rollout', f: (m: Memory) => number) => Math.max(...runs.map((r) => f(r[k].memory)));
  const cpu = (k: 'single' | 'rollout', f: (c: Cpu) => number) => s(med((r) => f(r[k].cpu)));
  const row = (k: 'single' | 'rollout', label: string, wall: number) =>
    [
      `  ${label}: ${s(wall)}`,
      `    CPU: clawdeploy and its processes ${cpu(k, (c) => c.cli)} (its node process ${cpu(k, (c) => c.node)}), the hosts ${cpu(k, (c) => c.hosts)}, the rest of the machine ${cpu(k, (c) => c.rest)} (busy ${(med((r) => (r[k].cpu.cli + r[k].cpu.hosts + r[k].cpu.rest) / r[k].seconds / cores) * 100).toFixed(0)}% of ${cores} cores)`,
      `    peak RSS: clawdeploy ${mb(max(k, (m) => m.cliKb))}, with the processes it started ${mb(max(k, (m) => m.treeKb))} (at most ${max(k, (m) => m.procs)} at once)`,
    ].join('\n');
  if (rounds > 1) console.log(`medians of ${rounds} rounds (peak RSS: the highest):`);
  console.log(row('single', 'single host (apply solo --yes)', single));
  console.log(row('rollout', `rollout (apply --on @fleet --parallel ${PARALLEL}, ${FLEET} hosts)`, rollout));
  console.log('where the time went (last round):');
  const last = runs.at(-1)!;
  const needs = (r: Run) => r.cpu.cli + r.cpu.hosts;
  // The hosts are namespaces of this machine: their work takes the same cores as clawdeploy's.
  console.log(
    `  CPU needed by clawdeploy and the hosts: single ${s(needs(last.single))}, rollout ${s(needs(last.rollout))}: on ${cores} cores at least ${s(needs(last.rollout) / cores)} however well the hosts overlap (${(needs(last.rollout) / cores / last.single.seconds).toFixed(1)}x the single wall time)`,
  );
  for (const l of breakdown(last.single, last.rollout)) console.log(l);
  if (cpuKinds) {
    console.log('CPU by kind of process (perf, last round):');
    for (const [name, r] of [
      ['single', last.single],
      ['rollout', last.rollout],
    ] as const)
      if (r.kinds) for (const l of formatKinds(name, r.kinds)) console.log(l);
  }
  console.log(`rollout ratio ${ratio.toFixed(2)} (target <= ${TARGET}): ${ratio <= TARGET ? 'PASS' : 'FAIL'}`);
} finally {
  await Promise.all(made.map((h) => h.destroy()));
  cleanupFixtures();
}
