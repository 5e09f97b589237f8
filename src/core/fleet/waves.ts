// How a rollout is cut into waves: a canary wave first (`--canary N` hosts, else the hosts tagged
// `canary`, else one host), then waves of `--parallel N`. Each wave is validated before the next.

export interface Wave {
  /** 0-based; the canary wave, when there is one, is wave 0. */
  index: number;
  label: string;
  hosts: string[];
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
  if (canary.length) waves.push({ index: 0, label: `canary (${canary.join(', ')})`, hosts: canary });
  for (let i = 0; i < rest.length; i += o.parallel) {
    const n = waves.length;
    waves.push({ index: n, label: `wave ${n}`, hosts: rest.slice(i, i + o.parallel) });
  }
  return waves;
}
