// A NixOS host a `test` deploy left running a build its profile does not point at: the profile's
// generation is still the boot default, and a reboot returns to it. It looks like drift (the live
// config is not the profile's), but the host's own record names the build, so it is said as what
// it is rather than blocking every later plan.
import type { Host } from '../inventory/schema.js';
import type { Finding, GenerationRef } from '../plan/schema.js';
import type { Transport } from '../transport/types.js';
import { hostStateDir, openclawProgram } from '../plan/catalog.js';
import { readVersion } from '../openclaw/surface.js';
import { renderedConfigIn } from './layout.js';
import type { GatewayState } from './preflight.js';

export interface Tested {
  /** The build that runs, activated with goal test. */
  storePath: string;
  finding: Finding;
}

const STORE_PATH = /^\/nix\/store\/[0-9a-z]{32}-[^/]+$/;

async function stdout(t: Transport, argv: string[]): Promise<string | null> {
  const r = await t.run(argv, { timeoutMs: 30_000 });
  return r.exitCode === 0 ? r.stdout : null;
}

/** The build a succeeded `test` deploy left running, when it is what the host runs now (its config live, its openclaw running). */
export async function findTested(
  host: Host,
  t: Transport,
  o: { current: GenerationRef; liveSum: string | null; gateway: GatewayState; programDrift: (wanted: { version: string; commit: string | null } | null) => boolean },
): Promise<Tested | null> {
  if (!o.liveSum) return null;
  let record: { outcome?: unknown; tested?: unknown };
  try {
    record = JSON.parse((await stdout(t, ['cat', `${hostStateDir(host)}/last-deploy.json`])) ?? '') as typeof record;
  } catch {
    return null;
  }
  const tested = record.tested;
  if (record.outcome !== 'succeeded' || typeof tested !== 'string' || !STORE_PATH.test(tested)) return null;
  const sum = (await stdout(t, ['sha256sum', '--', renderedConfigIn(host, tested)]))?.slice(0, 64);
  if (sum !== o.liveSum) return null;
  if (o.gateway.running && o.programDrift(readVersion((await stdout(t, [openclawProgram({ ...host, profile: tested }), '--version'])) ?? ''))) return null;
  const n = o.current.number;
  return {
    storePath: tested,
    finding: {
      code: 'tested-build',
      severity: 'warn',
      message: `'${host.name}' runs ${tested}, activated with goal test: ${host.profile} still points at generation ${n}, the boot default, and a reboot returns to it`,
      fix: `\`clawdeploy apply ${host.name}\` makes the flake's build the boot default; \`${host.profile}/bin/switch-to-configuration test\` returns to generation ${n} now`,
    },
  };
}
