// A cut link must fail a command in seconds, not after its own timeout: ssh gets keepalives.
import { describe, expect, it } from 'vitest';
import { createSshTransport, nixSshEnv } from '../../src/core/transport/index.js';

describe('ssh keepalives', () => {
  it('every run and nix copy ask for them (~15 s to give up by default)', async () => {
    const t = createSshTransport({ target: 'ssh://root@gateway.example.org' });
    try {
      expect(t.sshOptions()).toEqual(expect.arrayContaining(['-oServerAliveInterval=5', '-oServerAliveCountMax=3', '-oConnectTimeout=10']));
      expect(nixSshEnv(t).NIX_SSHOPTS).toContain('-oServerAliveInterval=5 -oServerAliveCountMax=3');
    } finally {
      await t.close();
    }
  });

  it('can be tuned, and refuses nonsense', async () => {
    const t = createSshTransport({ target: 'ssh://gw', aliveIntervalSec: 2, aliveCountMax: 4 });
    expect(t.sshOptions()).toEqual(expect.arrayContaining(['-oServerAliveInterval=2', '-oServerAliveCountMax=4']));
    await t.close();
    expect(() => createSshTransport({ target: 'ssh://gw', aliveIntervalSec: 0 })).toThrow(/aliveIntervalSec/);
  });
});
