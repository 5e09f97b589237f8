// Time to recover: `clawdeploy rollback` on a staging host against the raw nix-env --rollback,
// activation and health poll run by a plain script (bench/rollback-raw.sh), side by side.
// Target: ratio <= 1.3.
//
// Two situations, each round starting from generation 2 and ending on generation 1, healthy:
//   incident  generation 2 is a release whose gateway cannot start (F6, 2026.6.12): the
//             outage a rollback is for. This is the time to recover; the target applies here.
//   healthy   generation 2 is a working upgrade (F3): a planned rollback of a healthy host, where
//             clawdeploy's "health now" of the incident view runs every check (three CLI
//             processes) before it switches. Reported for comparison.
import { execa } from 'execa';
import { join } from 'node:path';
import { createOpenclawRepo, materializeFlake, writeSecretFiles, tempDir, NIX_ENV, cleanupFixtures, stopGateway } from '../src/demo/fixtures.js';
import { seedLocal } from '../src/demo/seed.js';
import { sideBySide } from './lib.js';

const HM = 'homeConfigurations.staging.activationPackage';
// 21: the script's times are bimodal (see bench/README.md), so a median needs enough rounds.
const rounds = Number(process.env['ROUNDS'] ?? 21);
const TARGET = 1.3;

interface Situation {
  name: 'incident' | 'healthy';
  fixture: string;
}

async function measure(s: Situation, repo: string): Promise<{ raw: number; ours: number }> {
  const home = tempDir('home');
  const state = tempDir('state');
  const flake = await materializeFlake(s.fixture, { openclawRepo: repo, change: 'commit' });
  writeSecretFiles(flake.vars['SECRETS_DIR']!, ['openclaw-gateway-token', 'anthropic', 'telegram-staging']);
  const profile = flake.vars['PROFILE_staging']!;
  const port = flake.vars['GATEWAY_PORT_staging']!;
  const env = { ...process.env, ...NIX_ENV, HOME: home, CLAWDEPLOY_STATE_DIR: state };
  await seedLocal({ flakeDir: flake.dir, rev: flake.baseRev, attribute: HM, profile, env: { HOME: home } });
  await seedLocal({ flakeDir: flake.dir, attribute: HM, profile, env: { HOME: home } });
  const readyz = `curl -fsS --max-time 1 http://127.0.0.1:${port}/readyz >/dev/null 2>&1`;
  // Untimed: back to generation 2 in its settled state (up and ready, or down for good).
  const forward = async () => {
    await execa('nix-env', ['--profile', profile, '--switch-generation', '2'], { env });
    await execa(join(profile, 'activate'), [], { env });
    const settled = s.name === 'healthy' ? readyz : `! ${readyz}`;
    await execa('bash', ['-c', `for i in $(seq 100); do ${settled} && exit 0; sleep 0.1; done; exit 1`]);
    // A broken gateway gives up shortly after it starts: let it finish dying first.
    if (s.name === 'incident') await new Promise((r) => setTimeout(r, 500));
  };
  const timed = async (cmd: string, args: string[]) => {
    await forward();
    const t0 = performance.now();
    const r = await execa(cmd, args, { env, reject: false });
    const ms = performance.now() - t0;
    if (r.exitCode !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr || r.stdout}`);
    return ms;
  };
  try {
    // One untimed run fills the inventory cache, as any earlier command on this flake would have.
    await timed('node', ['bin/clawdeploy.mjs', 'rollback', 'staging', '--yes', '--to', '1', '--flake', flake.dir]);
    const runs: Record<string, number[]> = {};
    const r = await sideBySide(
      rounds,
      {
        raw: () => timed('bash', ['bench/rollback-raw.sh', profile, port]),
        ours: () => timed('node', ['bin/clawdeploy.mjs', 'rollback', 'staging', '--yes', '--to', '1', '--flake', flake.dir]),
      },
      runs,
    );
    for (const [k, v] of Object.entries(runs)) console.log(`  ${s.name} ${k} runs (ms): ${v.map((x) => x.toFixed(0)).join(' ')}`);
    // The script's poll (a failing CLI check, then 0.1 s) makes its times bimodal: the mean is shown too.
    const mean = (k: string) => runs[k]!.reduce((a, b) => a + b, 0) / runs[k]!.length;
    console.log(`  ${s.name} means: raw ${mean('raw').toFixed(0)}, clawdeploy ${mean('ours').toFixed(0)}, ratio ${(mean('ours') / mean('raw')).toFixed(2)}`);
    return { raw: r['raw']!, ours: r['ours']! };
  } finally {
    await stopGateway(join(home, '.openclaw'));
  }
}

try {
  const repo = (await createOpenclawRepo({ extraVersions: [{ version: '2026.6.12', broken: true }] })).path;
  const results: Array<[Situation['name'], { raw: number; ours: number }]> = [];
  for (const s of [
    { name: 'incident', fixture: 'f6-bump-broken' },
    { name: 'healthy', fixture: 'f3-bump-openclaw' },
  ] as Situation[])
    results.push([s.name, await measure(s, repo)]);
  console.log(`time to recover on a local staging host, median of ${rounds} interleaved rounds (ms)`);
  console.log(`  ${'situation'.padEnd(10)} ${'raw script'.padStart(10)} ${'clawdeploy'.padStart(10)}  ratio`);
  for (const [name, r] of results) console.log(`  ${name.padEnd(10)} ${r.raw.toFixed(0).padStart(10)} ${r.ours.toFixed(0).padStart(10)}  ${(r.ours / r.raw).toFixed(2)}`);
  const incident = results.find(([n]) => n === 'incident')![1];
  const ratio = incident.ours / incident.raw;
  console.log(`rollback ratio (incident) ${ratio.toFixed(2)} (target <= ${TARGET}): ${ratio <= TARGET ? 'PASS' : 'FAIL'}`);
} finally {
  cleanupFixtures();
}
