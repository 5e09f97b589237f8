// One connection per host for as long as its holder (a rollout) lasts: reachability, planning,
// planning again and the deploy of a host each borrow it instead of opening their own (an ssh
// handshake costs ~100 ms of CPU on each side, a command over the shared connection ~10 ms).
// A borrower's close() leaves the connection up; the holder closes them all. What must prove a
// new login works (the watchdog confirm, reconnecting after a lost link) never comes from here.
import type { Host } from '../inventory/schema.js';
import { transportForHost } from './forHost.js';
import type { TransportOptions } from './index.js';
import type { Transport } from './types.js';

export interface HostConnections {
  /** The host's shared transport, borrowed: a new object per call, whose close() does nothing. */
  borrow(host: Pick<Host, 'name' | 'target' | 'sshOpts'>): Transport;
  /** Closes every connection opened through it. */
  close(): Promise<void>;
}

/** `opts` (the ssh config, timeouts) are the same for every host: one holder, one way in. */
export function hostConnections(opts: TransportOptions = {}): HostConnections {
  const open = new Map<string, Transport>();
  return {
    borrow(host) {
      // The same host reached the same way: a changed target or ssh options is another connection.
      const key = JSON.stringify([host.name, host.target, host.sshOpts ?? []]);
      let t = open.get(key);
      if (!t) {
        t = transportForHost(host, opts);
        open.set(key, t);
      }
      // Its own object, so per-borrower state keyed by the transport (gateway tokens) is as before.
      return { ...t, close: async () => undefined };
    },
    async close() {
      const all = [...open.values()];
      open.clear();
      await Promise.all(all.map((t) => t.close().catch(() => undefined)));
    },
  };
}
