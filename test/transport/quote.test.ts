import { existsSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLocal } from '../../src/core/transport/local.js';
import { MAX_REMOTE_COMMAND_BYTES, toRemoteCommand } from '../../src/core/transport/quote.js';
import type { Transport } from '../../src/core/transport/types.js';
import { hostsAvailable, useTestHosts } from '../helpers/hosts.js';
import { CANARY, HOSTILE_WORDS } from './corpus.js';

const label = (w: string) => JSON.stringify(w.length > 40 ? `${w.slice(0, 20)}…(${w.length} chars)` : w);

/** Runs the quoted command through a real POSIX shell, as sshd does, and checks every byte. */
async function roundTrip(shell: (command: string) => Promise<{ exitCode: number; stdout: string }>) {
  for (const word of HOSTILE_WORDS) {
    const r = await shell(toRemoteCommand(['printf', '%s\\0', word]));
    expect(r.exitCode, label(word)).toBe(0);
    expect(Buffer.from(r.stdout), label(word)).toEqual(Buffer.from(`${word}\0`));
  }
  // Environment values travel the same way.
  for (const word of HOSTILE_WORDS.filter((w) => w.length < 1000)) {
    const r = await shell(toRemoteCommand(['sh', '-c', 'printf "%s\\0" "$V"'], { V: word }));
    expect(Buffer.from(r.stdout), `env ${label(word)}`).toEqual(Buffer.from(`${word}\0`));
  }
  expect(existsSync(CANARY)).toBe(false);
}

describe('toRemoteCommand', () => {
  beforeAll(() => rmSync(CANARY, { force: true }));

  it('single-quotes every word', () => {
    expect(toRemoteCommand(['printf', '%s', "it's"])).toBe(`'printf' '%s' 'it'\\''s'`);
    expect(toRemoteCommand(['true', ''])).toBe(`'true' ''`);
    expect(toRemoteCommand(['nix', 'copy'], { NIX_SSHOPTS: '-p 22' })).toBe(`'env' 'NIX_SSHOPTS=-p 22' 'nix' 'copy'`);
  });

  it('refuses what no quoting can carry', () => {
    expect(() => toRemoteCommand(['printf', 'a\0b'])).toThrow(/argv\[1\] contains a NUL byte/);
    expect(() => toRemoteCommand(['true'], { V: 'a\0b' })).toThrow(/variable V contains a NUL byte/);
    expect(() => toRemoteCommand([])).toThrow(/empty command/);
    expect(() => toRemoteCommand(['true'], { 'A;B': '1' })).toThrow(/bad environment variable name/);
    expect(() => toRemoteCommand(['-i', 'x'], { A: '1' })).toThrow(/cannot pass environment/);
    expect(() => toRemoteCommand(['A=1', 'x'], { B: '1' })).toThrow(/cannot pass environment/);
    expect(() => toRemoteCommand(['printf', 'x'.repeat(MAX_REMOTE_COMMAND_BYTES)])).toThrow(/too long for ssh/);
  });

  it('round-trips the hostile corpus through a local sh -c', async () => {
    await roundTrip((command) => runLocal(['sh', '-c', command]));
  });
});

describe.skipIf(!hostsAvailable())('toRemoteCommand over ssh', () => {
  const hosts = useTestHosts();
  let t: Transport;
  beforeAll(async () => {
    t = (await hosts.create('quote')).transport;
  });
  afterAll(() => rmSync(CANARY, { force: true }));

  it('round-trips the hostile corpus through the remote login shell', async () => {
    // run() quotes argv itself; argv reaches the remote printf unchanged.
    await roundTrip(async (command) => {
      const r = await t.run(['sh', '-c', command]);
      return r;
    });
    for (const word of HOSTILE_WORDS) {
      const r = await t.run(['printf', '%s\\0', word]);
      expect(Buffer.from(r.stdout), label(word)).toEqual(Buffer.from(`${word}\0`));
    }
    expect((await t.run(['test', '-e', CANARY])).exitCode).toBe(1);
  });
});
