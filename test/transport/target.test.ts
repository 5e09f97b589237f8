import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { transportFor } from '../../src/core/transport/index.js';
import { createSshTransport, nixSshEnv, sshFailureReason } from '../../src/core/transport/ssh.js';
import { parseSshTarget } from '../../src/core/transport/target.js';

describe('ssh targets', () => {
  it('parses user, host and port', () => {
    expect(parseSshTarget('ssh://root@10.1.2.3:2222')).toEqual({ user: 'root', host: '10.1.2.3', port: 2222 });
    expect(parseSshTarget('ssh://web1')).toEqual({ host: 'web1' });
  });

  it('refuses targets ssh could read as options or that carry shell syntax', () => {
    for (const bad of ['ssh://-oProxyCommand=id', 'ssh://root@h;id', 'ssh://h:0', 'ssh://h:70000', 'root@h', 'ssh://a b']) {
      expect(() => parseSshTarget(bad), bad).toThrow(UserError);
    }
  });

  it('picks a transport by target', async () => {
    expect(transportFor('local').describe).toBe('local');
    const t = transportFor('ssh://root@10.1.2.3:2222', { sshConfig: '/etc/cd/ssh_config' });
    expect(t.describe).toBe('ssh://root@10.1.2.3:2222');
    expect(t.storeUrl).toBe('ssh://root@10.1.2.3'); // Nix 2.8: no port in store URLs
    const opts = nixSshEnv(t).NIX_SSHOPTS!.split(' ');
    expect(opts.slice(0, 4)).toEqual(['-F', '/etc/cd/ssh_config', '-p', '2222']);
    expect(opts).toContain('-oBatchMode=yes');
    expect(opts.some((o) => o.startsWith('-oControlPath='))).toBe(true);
    await t.close();
    expect(nixSshEnv(transportFor('local'))).toEqual({});
    expect(() => transportFor('ftp://x')).toThrow(/unknown target 'ftp:\/\/x'/);
  });

  it('refuses ssh options nix cannot carry', async () => {
    const t = createSshTransport({ target: 'ssh://h', sshConfig: '/a dir/ssh_config' });
    expect(() => nixSshEnv(t)).toThrow(/NIX_SSHOPTS cannot carry spaces/);
    await t.close();
  });

  it('reduces ssh errors to one reason', () => {
    expect(sshFailureReason('ssh: connect to host 10.1.2.3 port 22: Connection refused\r\n')).toBe('Connection refused');
    expect(sshFailureReason('ssh: connect to host 10.1.2.3 port 22: Connection timed out\n')).toBe('Connection timed out');
    expect(sshFailureReason('ssh: Could not resolve hostname nope: Name or service not known\n')).toBe('Could not resolve hostname nope: Name or service not known');
    expect(sshFailureReason('root@10.1.2.3: Permission denied (publickey).\n')).toBe('root@10.1.2.3: Permission denied (publickey)');
    expect(sshFailureReason('')).toBe('ssh exited 255');
  });
});
