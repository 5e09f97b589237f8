// The inventory's eval cache against real Nix: a hit runs no nix at all (a logging nix shim on
// PATH counts the runs), and anything Nix would read differently misses.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chmodSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { createOpenclawRepo, materializeFlake, tempDir, cleanupFixtures, NIX_ENV, type MaterializedFlake } from '../helpers/fixtures.js';
import { loadHost } from '../../src/core/inventory/load.js';

let repo: string;
let flake: MaterializedFlake;
let log: string;
const saved = { ...process.env };

/** How many times nix ran since the last call. */
function nixRuns(): number {
  const n = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).length : 0;
  writeFileSync(log, '');
  return n;
}

beforeAll(async () => {
  repo = (await createOpenclawRepo()).path;
  const shim = tempDir('nix-shim');
  log = join(shim, 'runs.log');
  writeFileSync(join(shim, 'nix'), `#!/bin/sh\necho run >> '${log}'\nexec /usr/bin/nix "$@"\n`);
  chmodSync(join(shim, 'nix'), 0o755);
  Object.assign(process.env, NIX_ENV, { PATH: `${shim}:${process.env['PATH']}`, CLAWDEPLOY_CACHE_DIR: tempDir('cache') });
});
afterAll(() => {
  process.env = saved;
  cleanupFixtures();
});
beforeEach(async () => {
  flake = await materializeFlake('f1-single-staging', { openclawRepo: repo });
  nixRuns();
});

describe('the inventory eval cache', () => {
  it('evaluates once; the same flake again runs no nix and gives the same host', async () => {
    const first = await loadHost(flake.dir, 'staging');
    expect(nixRuns()).toBe(3); // clawdeploy.hosts, deploy.nodes, then the host's options
    const again = await loadHost(flake.dir, 'staging');
    expect(nixRuns()).toBe(0);
    expect(again).toEqual(first);
  });

  it('misses when a tracked file changes, even uncommitted, and sees the change', async () => {
    await loadHost(flake.dir, 'staging');
    const nix = join(flake.dir, 'flake.nix');
    const port = flake.vars['GATEWAY_PORT_staging']!;
    writeFileSync(nix, readFileSync(nix, 'utf8').replace(`gatewayPort = ${port};`, 'gatewayPort = 18800;'));
    nixRuns();
    const changed = await loadHost(flake.dir, 'staging');
    expect(nixRuns()).toBeGreaterThan(0);
    expect(changed.gateway.port).toBe(18800);
  });

  it('hits when only an untracked file changes (Nix does not see it either)', async () => {
    await loadHost(flake.dir, 'staging');
    nixRuns();
    writeFileSync(join(flake.dir, 'notes.txt'), 'not tracked\n');
    await loadHost(flake.dir, 'staging');
    expect(nixRuns()).toBe(0);
  });

  it('misses after a new commit (self.rev changes) and after a new lock', async () => {
    await loadHost(flake.dir, 'staging');
    await execa('git', ['-C', flake.dir, 'commit', '--allow-empty', '-qm', 'empty'], {
      env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' },
    });
    nixRuns();
    await loadHost(flake.dir, 'staging');
    expect(nixRuns()).toBeGreaterThan(0);
    const lock = join(flake.dir, 'flake.lock');
    writeFileSync(lock, `${readFileSync(lock, 'utf8').trimEnd()}\n\n`);
    await loadHost(flake.dir, 'staging');
    expect(nixRuns()).toBeGreaterThan(0);
  });

  it('never caches an evaluation error', async () => {
    const nix = join(flake.dir, 'flake.nix');
    writeFileSync(nix, readFileSync(nix, 'utf8').replace('environment = "staging";', 'environment = "staging"'));
    await expect(loadHost(flake.dir, 'staging')).rejects.toThrow(/flake .*: cannot evaluate/);
    await expect(loadHost(flake.dir, 'staging')).rejects.toThrow(/flake .*: cannot evaluate/);
    expect(nixRuns()).toBeGreaterThanOrEqual(2);
  });

  it('does not cache a flake whose lock has an input without a narHash, nor with CLAWDEPLOY_NO_CACHE', async () => {
    const lockPath = join(flake.dir, 'flake.lock');
    const lock = JSON.parse(readFileSync(lockPath, 'utf8')) as { nodes: Record<string, { locked?: { narHash?: string } }> };
    const pinned = readFileSync(lockPath, 'utf8');
    for (const n of Object.values(lock.nodes)) if (n.locked) delete n.locked.narHash;
    writeFileSync(lockPath, JSON.stringify(lock, null, 2));
    await loadHost(flake.dir, 'staging').catch(() => undefined);
    nixRuns();
    await loadHost(flake.dir, 'staging').catch(() => undefined);
    expect(nixRuns()).toBeGreaterThan(0);

    writeFileSync(lockPath, pinned);
    await loadHost(flake.dir, 'staging');
    process.env['CLAWDEPLOY_NO_CACHE'] = '1';
    try {
      nixRuns();
      await loadHost(flake.dir, 'staging');
      expect(nixRuns()).toBe(3);
    } finally {
      delete process.env['CLAWDEPLOY_NO_CACHE'];
    }
  });
});
