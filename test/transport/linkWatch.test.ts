// watchLink: a signal that aborts when a run over the transport finds the link lost, with a cheap
// probe now and then so that a cut link is noticed while nothing else runs over it.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { watchLink } from '../../src/core/transport/linkWatch.js';
import { HostUnreachableError } from '../../src/core/transport/ssh.js';
import { createLocalTransport } from '../../src/core/transport/local.js';
import type { RunResult, Transport } from '../../src/core/transport/types.js';

/** A transport whose link is up until `cut()`: then every run fails as ssh's does (listeners told, then thrown). */
function linkedTransport() {
  const listeners = new Set<(e: HostUnreachableError) => void>();
  const ran: string[] = [];
  let up = true;
  const t: Transport = {
    describe: 'ssh://h',
    storeUrl: 'ssh://h',
    async run(argv): Promise<RunResult> {
      ran.push(argv.join(' '));
      if (up) return { exitCode: 0, stdout: '', stderr: '', durationMs: 1, timedOut: false };
      const lost = new HostUnreachableError('h', 'ssh://h', 'connection lost: no answer to keepalives for 15 s');
      for (const l of listeners) l(lost);
      throw lost;
    },
    close: async () => undefined,
    onLinkLost(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  return { t, ran, listeners, cut: () => void (up = false) };
}

// The probe's clock is faked: time moves only when the test says.
beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

describe('watchLink', () => {
  it('probes the link every period while watched and aborts with the lost link once a probe finds it cut', async () => {
    const l = linkedTransport();
    const w = watchLink(l.t, 5_000);
    expect(l.ran).toEqual([]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(l.ran).toEqual(['true', 'true']);
    expect(w.signal.aborted).toBe(false);
    l.cut();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(w.signal.aborted).toBe(true);
    expect(w.signal.reason).toBeInstanceOf(HostUnreachableError);
    expect((w.signal.reason as HostUnreachableError).reason).toMatch(/connection lost/);
    // Aborted: no more probing.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(l.ran).toHaveLength(3);
    w.stop();
    expect(l.listeners.size).toBe(0);
  });

  it('aborts when any other run finds the link lost; stop() ends probing and listening', async () => {
    const l = linkedTransport();
    const w = watchLink(l.t, 60_000);
    l.cut();
    await expect(l.t.run(['curl', 'http://127.0.0.1:18789/healthz'])).rejects.toThrow(/unreachable/);
    expect(w.signal.aborted).toBe(true);
    w.stop();
    expect(l.listeners.size).toBe(0);

    const quiet = linkedTransport();
    const stopped = watchLink(quiet.t, 10);
    stopped.stop();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(quiet.ran).toEqual([]);
  });

  it('a local transport has no link to lose: never aborted, nothing probed', () => {
    const w = watchLink(createLocalTransport(), 10);
    expect(w.signal.aborted).toBe(false);
    w.stop();
  });
});
