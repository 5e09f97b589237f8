// How a rollout is cut into waves: a canary wave first (`--canary N` hosts, else the hosts tagged
// `canary`, else one host), then waves of `--parallel N`. Each wave is validated before the next.

export interface Wave {
  /** 0-based; the canary wave, when there is one, is wave 0. */
  index: number;
  label: string;
  hosts: string[];
  /** The canary wave (only ever wave 0): the rollout records its size as `options.canary`. */
  canary: boolean;
}

export interface WaveOptions {
  parallel: number;
  /** Hosts in the canary wave; undefined: the hosts tagged `canary`, else 1. 0: no canary wave. */
  canary?: number;
}

export function planWaves(hosts: ReadonlyArray<{ name: string; tags?: readonly string[] }>, o: WaveOptions): Wave[] {
  if (!Number.isInteger(o.parallel) || o.parallel < 1) throw new RangeError(`parallel must be a positive integer, not ${o.parallel}`);
  const names = hosts.map((h) => h.name);
  const tagged = hosts.filter((h) => h.tags?.includes('canary')).map((h) => h.name);
  // With one host there is nothing to protect: the canary would be the whole rollout.
  const canary = names.length < 2 ? [] : o.canary !== undefined ? names.slice(0, o.canary) : tagged.length ? tagged : names.slice(0, 1);
  const rest = names.filter((n) => !canary.includes(n));
  const waves: Wave[] = [];
  if (canary.length) waves.push(canaryWave(canary));
  for (let i = 0; i < rest.length; i += o.parallel) waves.push(laterWave(waves.length, rest.slice(i, i + o.parallel)));
  return waves;
}

/** Waves as recorded (a fleet runbook's, a resumed rollout's): host names per wave, the first the canary when `canary`. */
export function wavesOf(hosts: string[][], canary: boolean): Wave[] {
  return hosts.map((h, index) => (index === 0 && canary ? canaryWave(h) : laterWave(index, h)));
}

/** How many hosts the canary wave holds (0: none). */
export function canaryCount(waves: readonly Wave[]): number {
  return waves.find((w) => w.canary)?.hosts.length ?? 0;
}

const canaryWave = (hosts: string[]): Wave => ({ index: 0, label: `canary (${hosts.join(', ')})`, hosts, canary: true });
// Waves count from 1, the canary wave being wave 1: the label, the runbook and "N of M" agree.
const laterWave = (index: number, hosts: string[]): Wave => ({ index, label: `wave ${index + 1}`, hosts, canary: false });

/** "wave 2 of 3", "canary (a), wave 1 of 3": `total` is the rollout's waves as planned (a resumed one keeps its count). */
export function waveTitle(wave: Wave, total: number): string {
  return wave.canary ? `${wave.label}, wave 1 of ${total}` : `${wave.label} of ${total}`;
}
