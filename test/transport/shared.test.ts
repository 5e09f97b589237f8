// A rollout's connections: one transport per host reached the same way, lent out with a close()
// that leaves it up, all closed once by the holder.
import { describe, expect, it, vi } from 'vitest';
import type { Transport } from '../../src/core/transport/types.js';

const opened = vi.hoisted(() => [] as Array<{ name: string; target: string; sshOpts?: string[]; closed: number; opts: unknown }>);
vi.mock('../../src/core/transport/forHost.js', () => ({
  transportForHost: (host: { name: string; target: string; sshOpts?: string[] }, opts: unknown): Transport => {
    const rec = { ...host, closed: 0, opts };
    opened.push(rec);
    return {
      describe: host.target,
      storeUrl: host.target,
      run: async () => ({ exitCode: 0, stdout: host.name, stderr: '', durationMs: 0, timedOut: false }),
      close: async () => void (rec.closed += 1),
    };
  },
}));

const { hostConnections } = await import('../../src/core/transport/shared.js');

describe('hostConnections', () => {
  it('opens one connection per host, lends it out, and closes each once at the end', async () => {
    opened.length = 0;
    const c = hostConnections({ sshConfig: '/cfg' });
    const a1 = c.borrow({ name: 'a', target: 'ssh://a' });
    const a2 = c.borrow({ name: 'a', target: 'ssh://a' });
    const b = c.borrow({ name: 'b', target: 'ssh://b' });
    expect(opened.map((o) => o.name)).toEqual(['a', 'b']);
    expect(opened[0]!.opts).toEqual({ sshConfig: '/cfg' });
    // Each borrower its own object (state keyed by transport stays per borrower), the same connection.
    expect(a1).not.toBe(a2);
    expect((await a2.run(['true'])).stdout).toBe('a');
    await a1.close();
    await b.close();
    expect(opened.map((o) => o.closed)).toEqual([0, 0]);
    await c.close();
    expect(opened.map((o) => o.closed)).toEqual([1, 1]);
    // Borrowed after the end: a new connection, for the next holder's close.
    c.borrow({ name: 'a', target: 'ssh://a' });
    expect(opened).toHaveLength(3);
  });

  it('reaches a host another way (target, ssh options) over another connection', () => {
    opened.length = 0;
    const c = hostConnections();
    c.borrow({ name: 'a', target: 'ssh://a' });
    c.borrow({ name: 'a', target: 'ssh://a:2222' });
    c.borrow({ name: 'a', target: 'ssh://a', sshOpts: ['-oConnectTimeout=30'] });
    c.borrow({ name: 'a', target: 'ssh://a', sshOpts: [] });
    expect(opened.map((o) => [o.target, o.sshOpts ?? []])).toEqual([
      ['ssh://a', []],
      ['ssh://a:2222', []],
      ['ssh://a', ['-oConnectTimeout=30']],
    ]);
  });
});
