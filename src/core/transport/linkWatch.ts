// Watching the link to a host while something long runs over it (validation retries for minutes):
// a signal aborted the moment a run finds the link lost. The gateway's RPC checks go through
// `ssh -W` forwards, not run(), so a cheap `true` is also run now and then: over a cut link ssh's
// keepalives fail it within ~15 s, whatever the checks are.
import type { HostUnreachableError } from './ssh.js';
import type { Transport } from './types.js';

export interface LinkWatch {
  /** Aborted (reason: the HostUnreachableError) once a run over the transport finds the link lost. */
  readonly signal: AbortSignal;
  /** Stops watching (and probing). */
  stop(): void;
}

/** How often the link is probed while watched. */
export const LINK_PROBE_MS = 5_000;

export function watchLink(t: Transport, probeMs = LINK_PROBE_MS): LinkWatch {
  const ac = new AbortController();
  // No link to lose (a local host): never aborted.
  if (!t.onLinkLost) return { signal: ac.signal, stop: () => undefined };
  const off = t.onLinkLost((lost: HostUnreachableError) => ac.abort(lost));
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const probe = () => {
    timer = undefined;
    if (stopped || ac.signal.aborted) return;
    // Its failure is seen through onLinkLost; an exit code says nothing about the link.
    void t
      .run(['true'])
      .catch(() => undefined)
      .then(() => {
        if (!stopped && !ac.signal.aborted) timer = setTimeout(probe, probeMs).unref();
      });
  };
  timer = setTimeout(probe, probeMs).unref();
  return {
    signal: ac.signal,
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      off();
    },
  };
}
