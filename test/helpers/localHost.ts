// A local "host" for end-to-end tests: a materialised flake, its secret files, a HOME in a temp
// dir (the gateway's state), its own clawdeploy state dir (records, audit), and optionally the
// base generation deployed as an earlier deploy would have.
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { cleanupFixtures, createOpenclawRepo, materializeFlake, stopGateway, tempDir, writeSecretFiles, type MaterializedFlake } from './fixtures.js';
import { seedLocal } from '../../src/demo/seed.js';
import { runCli, type CliResult } from './cli.js';

export const HM_ATTR = 'homeConfigurations.staging.activationPackage';
export const DEFAULT_SECRETS = ['openclaw-gateway-token', 'anthropic', 'telegram-staging'];

export interface LocalHost {
  flake: MaterializedFlake;
  home: string;
  stateDir: string;
  profile: string;
  generation: string | null;
  env: Record<string, string>;
  /** Runs clawdeploy as this host's operator (HOME and state dir set, --flake added after the command). */
  cli(command: string, ...args: string[]): Promise<CliResult>;
  stop(): Promise<void>;
}

export async function localHost(repo: string, fixture: string, opts: { seed?: boolean; secrets?: string[]; vars?: Record<string, string> } = {}): Promise<LocalHost> {
  const home = tempDir('home');
  const stateDir = tempDir('state');
  const flake = await materializeFlake(fixture, { openclawRepo: repo, vars: opts.vars });
  const secretsDir = flake.vars['SECRETS_DIR'];
  if (secretsDir) writeSecretFiles(secretsDir, opts.secrets ?? DEFAULT_SECRETS);
  const profile = flake.vars['PROFILE_staging']!;
  const env = { HOME: home, CLAWDEPLOY_STATE_DIR: stateDir };
  const generation = opts.seed ? await seedLocal({ flakeDir: flake.dir, rev: flake.baseRev, attribute: HM_ATTR, profile, env: { HOME: home } }) : null;
  return {
    flake,
    home,
    stateDir,
    profile,
    generation,
    env,
    cli: (command, ...args) => runCli([command, ...args, '--flake', flake.dir], { env }),
    stop: () => stopGateway(join(home, '.openclaw')),
  };
}

/**
 * A test file's local hosts: the nix-openclaw stand-in repo is made once (beforeAll), every host
 * made through `make` is stopped and the fixtures removed at the end (afterAll).
 */
export function useLocalHosts(repoOpts: Parameters<typeof createOpenclawRepo>[0] = {}): {
  make: (fixture: string, opts?: Parameters<typeof localHost>[2]) => Promise<LocalHost>;
  repo: () => string;
  /** Every host made so far. */
  all: () => readonly LocalHost[];
} {
  let repo: string | undefined;
  const hosts: LocalHost[] = [];
  beforeAll(async () => {
    repo = (await createOpenclawRepo(repoOpts)).path;
  });
  afterAll(async () => {
    for (const h of hosts) await h.stop();
    cleanupFixtures();
  });
  return {
    repo: () => repo!,
    all: () => hosts,
    make: async (fixture, opts = {}) => {
      const h = await localHost(repo!, fixture, opts);
      hosts.push(h);
      return h;
    },
  };
}
