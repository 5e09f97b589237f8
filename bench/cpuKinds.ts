// Where a run's CPU went, by kind of process (CPU_KINDS=1 in bench/rollout.ts). Method: `perf
// record -a` samples every core every 1 ms of CPU time (cpu-clock, so one sample = 1 ms, whoever
// runs) and records every fork, exec and exit, timed on CLOCK_MONOTONIC like process.hrtime. Each
// process is placed by its ancestry as forked (not as reparented: an ssh master ControlPersist
// detaches is still its client's child): under the run's clawdeploy process, under one of the test
// hosts' processes (sshd and all it starts, gateways included), the benchmark itself, or the rest
// of the machine (other work, the kernel's threads). Then by the name it runs under. Samples are
// kept between the run's spawn and its exit; perf itself (bench/perf) takes ~0.01 CPU-s a run.
// Reading it: an ssh connection's handshake is done by the ssh that opens it, before it forks the
// master (counted in "ssh clients"); "started" counts processes, and one master is 3 of them;
// sshd starts 2 per connection.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KindsTrace {
  stop(window: { cliPid: number; hostPids: number[]; from: bigint; to: bigint }): Promise<KindsReport>;
}
export interface KindsReport {
  /** CPU seconds per side and kind, e.g. "clawdeploy/ssh". */
  seconds: Map<string, number>;
  /** Processes started during the run, per side and kind. */
  started: Map<string, number>;
  /** Seconds the window lasted, all cores. */
  wall: number;
}

const monotonicSec = (ns: bigint) => Number(ns) / 1e9;

export function available(): boolean {
  return spawnSync('perf', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Starts sampling the whole machine; stop() ends it and attributes the samples of one run. */
export function startKinds(): KindsTrace {
  const dir = mkdtempSync(join(tmpdir(), 'cpukinds-'));
  const data = join(dir, 'perf.data');
  const perf: ChildProcess = spawn('perf', ['record', '-q', '-a', '-k', 'CLOCK_MONOTONIC', '-e', 'cpu-clock', '-c', '1000000', '-o', data], { stdio: 'ignore' });
  // Samples before perf has opened its events are lost: wait until it has written its header.
  const deadline = Date.now() + 10_000;
  while (!(existsSync(data) && statSync(data).size > 0) && Date.now() < deadline) spawnSync('sleep', ['0.02']);
  return {
    async stop(w) {
      await new Promise<void>((done) => {
        perf.once('exit', () => done());
        perf.kill('SIGINT');
      });
      const out = spawnSync('perf', ['script', '-i', data, '--show-task-events', '-F', 'comm,pid,tid,time,event'], { encoding: 'utf8', maxBuffer: 1 << 30 }).stdout ?? '';
      rmSync(dir, { recursive: true, force: true });
      return attribute(out, w);
    },
  };
}

type Side = 'clawdeploy' | 'hosts' | 'bench' | 'rest';

function attribute(text: string, w: { cliPid: number; hostPids: number[]; from: bigint; to: bigint }): KindsReport {
  const from = monotonicSec(w.from);
  const to = monotonicSec(w.to);
  const parent = new Map<number, number>();
  const comm = new Map<number, string>();
  const sideCache = new Map<number, Side>();
  const hostRoots = new Set(w.hostPids);
  const benchPid = process.pid;
  const sideOf = (pid: number): Side => {
    const known = sideCache.get(pid);
    if (known) return known;
    let side: Side = 'rest';
    for (let p: number | undefined = pid, hops = 0; p !== undefined && p > 1 && hops < 64; p = parent.get(p), hops++) {
      if (p === w.cliPid) {
        side = 'clawdeploy';
        break;
      }
      if (hostRoots.has(p)) {
        side = 'hosts';
        break;
      }
      if (p === benchPid) {
        side = 'bench';
        break;
      }
    }
    sideCache.set(pid, side);
    return side;
  };
  const kindOf = (pid: number, side: Side): string => {
    const c = comm.get(pid) ?? '?';
    if (side === 'clawdeploy' && pid === w.cliPid) return 'node (the CLI)';
    if (side === 'rest' && /^(kworker|ksoftirqd|rcu_|migration|kcompactd|kdamond|kswapd)/.test(c)) return 'kernel threads';
    // ControlPersist forks the master off the ssh that opened the connection.
    if (/^ssh$/.test(c)) return comm.get(parent.get(pid) ?? 0) === 'ssh' ? 'ssh masters' : 'ssh clients';
    if (/^nix/.test(c)) return 'nix';
    return c;
  };
  const seconds = new Map<string, number>();
  const started = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  const LINE = /^\s*(.*?)\s+(-?\d+)\/(-?\d+)\s+([\d.]+):\s+(.*)$/;
  for (const line of text.split('\n')) {
    const m = LINE.exec(line);
    if (!m) continue;
    const pid = Number(m[2]);
    const tid = Number(m[3]);
    const at = Number(m[4]);
    const ev = m[5]!;
    if (ev.startsWith('PERF_RECORD_FORK')) {
      const f = /FORK\((\d+):(\d+)\):\((\d+):(\d+)\)/.exec(ev);
      // A new process, not a new thread of one (a pid used again is a new process).
      if (f && f[1] !== f[3]) {
        const child = Number(f[1]);
        parent.set(child, Number(f[3]));
        sideCache.delete(child);
        comm.set(child, comm.get(Number(f[3])) ?? m[1]!);
        if (at >= from && at <= to) {
          const side = sideOf(child);
          const c = comm.get(child)!;
          add(started, `${side}/${c === 'ssh' && comm.get(Number(f[3])) === 'ssh' ? 'ssh master' : c}`, 1); // renamed at exec: moved below
        }
      }
      continue;
    }
    if (ev.startsWith('PERF_RECORD_COMM')) {
      const c = /COMM(?: exec)?: (.*):(\d+)\/(\d+)$/.exec(ev);
      if (c && c[2] === c[3]) {
        const p = Number(c[2]);
        const before = comm.get(p);
        comm.set(p, c[1]!);
        // Counted as what it runs: move the start from the forked name to the exec'd one.
        if (ev.includes('exec') && at >= from && at <= to) {
          const side = sideOf(p);
          if (before !== undefined) add(started, `${side}/${before}`, -1);
          add(started, `${side}/${c[1]}`, 1);
        }
      }
      continue;
    }
    if (!ev.startsWith('cpu-clock')) continue;
    if (at < from || at > to) continue;
    if (pid === 0 && tid === 0) continue; // idle
    if (!comm.has(pid)) comm.set(pid, m[1]!);
    const side = sideOf(pid);
    add(seconds, `${side}/${kindOf(pid, side)}`, 0.001);
  }
  const kinds = new Map<string, number>();
  for (const [k, n] of started) {
    const [side, c] = k.split('/') as [Side, string];
    const kind = c === 'ssh master' ? 'ssh masters' : c === 'ssh' ? 'ssh clients' : /^nix/.test(c) ? 'nix' : c;
    if (n) kinds.set(`${side}/${kind}`, (kinds.get(`${side}/${kind}`) ?? 0) + n);
  }
  return { seconds, started: kinds, wall: to - from };
}

/** The report as lines: per side its total, then its kinds (the small ones summed). */
export function formatKinds(name: string, r: KindsReport): string[] {
  const out: string[] = [];
  const sides: Side[] = ['clawdeploy', 'hosts', 'bench', 'rest'];
  const total = [...r.seconds.values()].reduce((a, b) => a + b, 0);
  out.push(`  ${name}: ${total.toFixed(1)} CPU-s sampled over ${r.wall.toFixed(1)} s`);
  for (const side of sides) {
    const rows = [...r.seconds].filter(([k]) => k.startsWith(`${side}/`)).sort((a, b) => b[1] - a[1]);
    const sum = rows.reduce((a, [, v]) => a + v, 0);
    if (!sum) continue;
    const big = rows.filter(([, v]) => v >= 0.05 || rows.length <= 8);
    const small = rows.filter((r) => !big.includes(r)).reduce((a, [, v]) => a + v, 0);
    const show = big.map(([k, v]) => {
      const kind = k.slice(side.length + 1);
      const n = r.started.get(k);
      return `${kind} ${v.toFixed(2)}${n ? ` (${n} started)` : ''}`;
    });
    if (small) show.push(`others ${small.toFixed(2)}`);
    out.push(`    ${side} ${sum.toFixed(2)} s: ${show.join(', ')}`);
  }
  return out;
}
