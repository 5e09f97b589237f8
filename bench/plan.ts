// `clawdeploy plan` on F3 against an SSH host, side by side with the raw commands it runs
// (bench/plan-raw.sh). Target: ratio <= 1.5. Needs root (a network-namespace test host).
import { execa } from 'execa';
import { join } from 'node:path';
import { createOpenclawRepo, materializeFlake, SECRET_FILES, NIX_ENV, cleanupFixtures } from '../src/demo/fixtures.js';
import { buildAt } from '../src/demo/seed.js';
import { HM_APPLY } from '../src/core/inventory/derive.js';
import { nixSshEnv } from '../src/core/transport/index.js';
import { createTestHost } from '../test/helpers/hosts.js';
import { sideBySide, timeCommand } from './lib.js';

const HM = 'homeConfigurations.staging.activationPackage';
const PROFILE = '/nix/var/nix/profiles/per-user/root/home-manager';
const rounds = Number(process.env['ROUNDS'] ?? 7);

const repo = await createOpenclawRepo();
const host = await createTestHost('bench');
try {
  const flake = await materializeFlake('f3-bump-openclaw', {
    openclawRepo: repo.path,
    vars: { TARGET_staging: host.target, PROFILE_staging: PROFILE, SECRETS_DIR: '/run/agenix', GATEWAY_PORT_staging: '18789' },
  });
  for (const s of ['openclaw-gateway-token', 'anthropic', 'telegram-staging']) await host.writeFile(`/run/agenix/${s}`, SECRET_FILES[s]!, 0o600);
  const current = await buildAt(flake.dir, HM, flake.baseRev);
  await execa('nix', ['copy', '--no-check-sigs', '--to', host.transport.storeUrl!, current], { env: { ...process.env, ...NIX_ENV, ...nixSshEnv(host.transport) } });
  await host.run(['nix-env', '--profile', PROFILE, '--set', current]);
  await host.run([`${PROFILE}/activate`]);

  const env = { ...process.env, ...NIX_ENV, HM_APPLY };
  const cli = ['bin/clawdeploy.mjs', '--ssh-config', host.sshConfig, 'plan', 'staging', '--flake', flake.dir, '--json'];
  const raw = [join('bench', 'plan-raw.sh'), flake.dir, `root@${host.address}`, host.sshConfig, PROFILE, '18789', current];
  timeCommand('node', cli, env); // warm: the new generation is built once
  if (process.env['CLAWDEPLOY_TIMING']) console.log((await execa('node', cli, { env, reject: false })).stderr);
  const r = await sideBySide(rounds, {
    'raw commands (script)': () => timeCommand('bash', raw, env),
    'clawdeploy plan': () => timeCommand('node', cli, env),
  });
  const base = r['raw commands (script)']!;
  console.log(`plan on F3 over ssh (median of ${rounds}, ms)`);
  for (const [k, v] of Object.entries(r)) console.log(`  ${k.padEnd(24)} ${v.toFixed(0).padStart(6)}  ratio ${(v / base).toFixed(2)}`);
  const ratio = r['clawdeploy plan']! / base;
  console.log(`plan ratio ${ratio.toFixed(2)} (target <= 1.5): ${ratio <= 1.5 ? 'PASS' : 'FAIL'}`);
} finally {
  await host.destroy();
  cleanupFixtures();
}
