// A host's own ssh options (deploy-rs's sshOpts) reach every ssh run and `nix copy` (NIX_SSHOPTS).
import { describe, expect, it } from 'vitest';
import { nixSshEnv, transportForHost, isSshTransport } from '../../src/core/transport/index.js';

describe("a host's sshOpts", () => {
  const t = transportForHost({ name: 'edge', target: 'ssh://deploy@edge.invalid', sshOpts: ['-p', '2121', '-oConnectTimeout=30'] });

  it('come after what clawdeploy needs and before its defaults, which they override (ssh keeps the first value)', async () => {
    if (!isSshTransport(t)) throw new Error('not ssh');
    const o = t.sshOptions();
    const at = (w: string) => o.findIndex((x) => x.startsWith(w));
    expect(at('-oBatchMode=yes')).toBeLessThan(at('-p'));
    expect(at('-oControlPath=')).toBeLessThan(at('-p'));
    expect(o.slice(at('-p'), at('-p') + 3)).toEqual(['-p', '2121', '-oConnectTimeout=30']);
    expect(at('-oConnectTimeout=30')).toBeLessThan(at('-oConnectTimeout=10'));
    expect(nixSshEnv(t)['NIX_SSHOPTS']).toContain('-p 2121 -oConnectTimeout=30');
    await t.close();
  });

  it('a host without them gets the options it always had', async () => {
    const plain = transportForHost({ name: 'edge', target: 'ssh://deploy@edge.invalid' });
    if (!isSshTransport(plain) || !isSshTransport(t)) throw new Error('not ssh');
    expect(plain.sshOptions().filter((w) => !w.startsWith('-oControlPath='))).toEqual(
      t.sshOptions().filter((w) => !['-p', '2121', '-oConnectTimeout=30'].includes(w) && !w.startsWith('-oControlPath=')),
    );
    await plain.close();
    await t.close();
  });
});
