// Time to recover: `clawdeploy rollback` on a staging host against the raw nix-env --rollback,
// activation and health poll run by a plain script (bench/rollback-raw.sh), side by side.
// Each round starts from generation 2 (the upgrade) and ends on generation 1, healthy.
// Target: ratio <= 1.3.
import { execa } from 'execa';
import { join } from 'node:path';
import { createOpenclawRepo, materializeFlake, writeSecretFiles, tempDir, NIX_ENV, cleanupFixtures, stopGateway } from '../src/demo/fixtures.js';
import { seedLocal } from '../src/demo/seed.js';
import { sideBySide } from './lib.js';

const HM = 'homeConfigurations.staging.activationPackage';
const rounds = Number(process.env['ROUNDS'] ?? 7);
const repo = await createOpenclawRepo();
const home = tempDir('home');
const state = tempDir('state');
const flake = await materializeFlake('f3-bump-openclaw', { openclawRepo: repo.path, change: 'commit' });
writeSecretFiles(flake.vars['SECRETS_DIR']!, ['openclaw-gateway-token', 'anthropic', 'telegram-staging']);
const profile = flake.vars['PROFILE_staging']!;
const port = flake.vars['GATEWAY_PORT_staging']!;
const env = { ...process.env, ...NIX_ENV, HOME: home, CLAWDEPLOY_STATE_DIR: state };
await seedLocal({ flakeDir: flake.dir, rev: flake.baseRev, attribute: HM, profile, env: { HOME: home } });
await seedLocal({ flakeDir: flake.dir, attribute: HM, profile, env: { HOME: home } });

/** Back to generation 2, healthy, untimed: every round starts from the same state. */
async function forward(): Promise<void> {
  await execa('nix-env', ['--profile', profile, '--switch-generation', '2'], { env });
  await execa(join(profile, 'activate'), [], { env });
  await execa('bash', ['-c', `for i in $(seq 100); do curl -fsS http://127.0.0.1:${port}/readyz >/dev/null 2>&1 && exit 0; sleep 0.1; done; exit 1`]);
}
async function timed(cmd: string, args: string[]): Promise<number> {
  await forward();
  const t0 = performance.now();
  const r = await execa(cmd, args, { env, reject: false });
  const ms = performance.now() - t0;
  if (r.exitCode !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr || r.stdout}`);
  return ms;
}

try {
  const r = await sideBySide(rounds, {
    'raw rollback + health poll': () => timed('bash', ['bench/rollback-raw.sh', profile, port]),
    'clawdeploy rollback': () => timed('node', ['bin/clawdeploy.mjs', 'rollback', 'staging', '--yes', '--to', '1', '--flake', flake.dir]),
  });
  const base = r['raw rollback + health poll']!;
  console.log(`time to recover on a local staging host (median of ${rounds}, ms)`);
  for (const [k, v] of Object.entries(r)) console.log(`  ${k.padEnd(28)} ${v.toFixed(0).padStart(6)}  ratio ${(v / base).toFixed(2)}`);
  const ratio = r['clawdeploy rollback']! / base;
  console.log(`rollback ratio ${ratio.toFixed(2)} (target <= 1.3): ${ratio <= 1.3 ? 'PASS' : 'FAIL'}`);
} finally {
  await stopGateway(join(home, '.openclaw'));
  cleanupFixtures();
}
