// Not a benchmark: runs `clawdeploy rollback --yes` a few times with CLAWDEPLOY_TIMING=1 and
// prints its output and phase timings, to find where the time goes. Each run starts from
// generation 2 (F3 by default, healthy; FIXTURE=f6-bump-broken for a gateway that cannot start).
//   N=3 FIXTURE=f6-bump-broken npx tsx bench/profileRollback.ts
//   NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" npx tsx bench/profileRollback.ts
import { execa } from 'execa';
import { join } from 'node:path';
import { createOpenclawRepo, materializeFlake, writeSecretFiles, tempDir, NIX_ENV, cleanupFixtures, stopGateway } from '../src/demo/fixtures.js';
import { seedLocal } from '../src/demo/seed.js';

const HM = 'homeConfigurations.staging.activationPackage';
const fixture = process.env['FIXTURE'] ?? 'f3-bump-openclaw';
const repo = await createOpenclawRepo({ extraVersions: [{ version: '2026.6.12', broken: true }] });
const home = tempDir('home');
const flake = await materializeFlake(fixture, { openclawRepo: repo.path, change: 'commit' });
writeSecretFiles(flake.vars['SECRETS_DIR']!, ['openclaw-gateway-token', 'anthropic', 'telegram-staging']);
const profile = flake.vars['PROFILE_staging']!;
const port = flake.vars['GATEWAY_PORT_staging']!;
const env = { ...process.env, ...NIX_ENV, HOME: home, CLAWDEPLOY_STATE_DIR: tempDir('state'), CLAWDEPLOY_TIMING: '1' };
await seedLocal({ flakeDir: flake.dir, rev: flake.baseRev, attribute: HM, profile, env: { HOME: home } });
await seedLocal({ flakeDir: flake.dir, attribute: HM, profile, env: { HOME: home } });
try {
  for (let i = 0; i < Number(process.env['N'] ?? 2); i++) {
    await execa('nix-env', ['--profile', profile, '--switch-generation', '2'], { env });
    await execa(join(profile, 'activate'), [], { env });
    // Settled: ready (healthy generation 2), or given up for good (a broken one).
    if (fixture === 'f3-bump-openclaw') await execa('bash', ['-c', `for i in $(seq 100); do curl -fsS http://127.0.0.1:${port}/readyz >/dev/null 2>&1 && exit 0; sleep 0.1; done; exit 1`]);
    else await new Promise((r) => setTimeout(r, 1000));
    const nodeArgs = (process.env['NODE_ARGS'] ?? '').split(' ').filter(Boolean);
    const t0 = performance.now();
    const r = await execa('node', [...nodeArgs, 'bin/clawdeploy.mjs', 'rollback', 'staging', '--yes', '--to', '1', '--flake', flake.dir], { env, reject: false, all: true });
    console.log(r.all);
    console.log(`run ${i + 1}: ${(performance.now() - t0).toFixed(0)} ms, exit ${r.exitCode}${i === 0 ? ' (the first fills the inventory cache)' : ''}`);
  }
} finally {
  await stopGateway(join(home, '.openclaw'));
  cleanupFixtures();
}
