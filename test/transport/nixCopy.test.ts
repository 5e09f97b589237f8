import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runLocal } from '../../src/core/transport/local.js';
import { createSshTransport, nixSshEnv, type SshTransport } from '../../src/core/transport/ssh.js';
import { hostsAvailable, useTestHosts, type TestHost } from '../helpers/hosts.js';

// The machine's own nix.conf may lack these; the test hosts have them in their private nix.conf.
const NIX_CONFIG = 'experimental-features = nix-command flakes\nsubstituters =\n';
const TINY = `derivation { name = "clawdeploy-transport-tiny"; system = builtins.currentSystem;
  builder = "/bin/sh"; args = [ "-c" "echo tiny > $out" ]; }`;

describe.skipIf(!hostsAvailable())('nix copy over the ssh transport', () => {
  const hosts = useTestHosts();
  let h: TestHost;
  let t: SshTransport;
  beforeAll(async () => {
    h = await hosts.create('store');
    t = createSshTransport({ target: h.target, sshConfig: h.sshConfig, connectTimeoutSec: 2 });
    return () => t.close();
  });

  it('copies a path into the host’s own store only', async () => {
    const built = await runLocal(['nix', 'build', '--impure', '--no-link', '--json', '--expr', TINY], { env: { NIX_CONFIG } });
    expect(built.exitCode, built.stderr).toBe(0);
    const path: string = JSON.parse(built.stdout)[0].outputs.out;
    expect((await t.run(['nix', 'path-info', path])).exitCode).toBe(1);

    await t.run(['true']); // open the shared connection first, as a plan would
    const copy = await runLocal(['nix', 'copy', '--to', t.storeUrl!, path], { env: { NIX_CONFIG, ...nixSshEnv(t) } });
    expect(copy.exitCode, copy.stderr).toBe(0);
    console.log(`[transport] nix copy of a tiny path to a fresh host store: ${copy.durationMs} ms`);

    expect((await t.run(['cat', path])).stdout).toBe('tiny\n');
    expect(existsSync(join(h.rootDir, path))).toBe(true);

    // The host's store holds only what it was given or made itself, and the machine never sees the latter.
    const added = await t.run(['sh', '-c', 'printf "host-only %s" "$(hostname)" > /tmp/f && nix-store --add /tmp/f']);
    expect(added.exitCode, added.stderr).toBe(0);
    const hostOnly = added.stdout.trim();
    const all = (await t.run(['nix', 'path-info', '--all'])).stdout.trim().split('\n').sort();
    expect(all).toEqual([path, hostOnly].sort());
    expect(existsSync(hostOnly)).toBe(false);
    expect(existsSync(join(h.rootDir, hostOnly))).toBe(true);
    expect((await runLocal(['nix', 'path-info', hostOnly], { env: { NIX_CONFIG } })).exitCode).not.toBe(0);
  });
});
