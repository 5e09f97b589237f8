// Side-by-side timing: runs candidates interleaved in one process so that machine noise
// hits both alike, and reports medians.
import { spawnSync } from 'node:child_process';

export function timeCommand(cmd: string, args: string[], env?: NodeJS.ProcessEnv): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: 'ignore', env: env ?? process.env });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
  return ms;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export async function sideBySide(rounds: number, candidates: Record<string, () => number | Promise<number>>, runs?: Record<string, number[]>): Promise<Record<string, number>> {
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(candidates).map((k) => [k, []]));
  for (let i = 0; i < rounds; i++) {
    for (const [name, run] of Object.entries(candidates)) samples[name]!.push(await run());
  }
  if (runs) Object.assign(runs, samples);
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
}
