// Where planning reads the new build: this machine's store (built here, the current generation
// fetched beside it for the closure diff), or the host's store (built on the target: the build's
// rendered config is read on the host, and both closures are diffed there, nothing fetched).
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import type { Host } from '../inventory/schema.js';
import type { Transport } from '../transport/types.js';
import { diffClosures } from '../nix/flake.js';
import { fetchFromHost } from '../nix/fetch.js';
import { diffClosuresOnTarget } from '../nix/remoteBuild.js';
import { renderedConfigIn } from '../preflight/layout.js';

export interface BuildPlace {
  /** Names the store for memo keys: "local" or the host's store URL. */
  key: string;
  /** The build's rendered openclaw.json (its store file and text), or null when it has none. */
  rendered(host: Host, outPath: string): Promise<{ storePath: string; text: string } | null>;
  /** Makes the host's current generation readable where the build is (a no-op on the host). */
  fetchCurrent(storePath: string): Promise<void>;
  diffClosures(from: string, to: string): Promise<string>;
}

export function builtHere(t: Transport): BuildPlace {
  return {
    key: 'local',
    async rendered(host, outPath) {
      const p = renderedConfigIn(host, outPath);
      return existsSync(p) ? { storePath: realpathSync(p), text: readFileSync(p, 'utf8') } : null;
    },
    fetchCurrent: (storePath) => fetchFromHost(t, [storePath]),
    diffClosures,
  };
}

export function builtOnTarget(t: Transport): BuildPlace {
  return {
    key: t.storeUrl ?? t.describe,
    async rendered(host, outPath) {
      const p = renderedConfigIn(host, outPath);
      const [text, real] = await Promise.all([t.run(['cat', '--', p], { timeoutMs: 60_000 }), t.run(['readlink', '-f', '--', p], { timeoutMs: 60_000 })]);
      return text.exitCode === 0 ? { storePath: real.stdout.trim() || p, text: text.stdout } : null;
    },
    fetchCurrent: async () => undefined,
    diffClosures: (from, to) => diffClosuresOnTarget(t, from, to),
  };
}
