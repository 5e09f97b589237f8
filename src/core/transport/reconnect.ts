// Waiting for a host to answer again after its link was lost: a new connection per attempt (a
// shared one may still be half dead), each attempt bounded by ssh's ConnectTimeout.
import type { Transport } from './types.js';

export interface Reconnected {
  ok: boolean;
  attempts: number;
  /** Milliseconds spent waiting. */
  waitedMs: number;
}

/**
 * Tries `true` over a fresh transport until it answers or `until` (epoch ms) passes. A refused or
 * unroutable connection fails at once: `pauseMs` keeps those attempts from spinning.
 */
export async function waitForHost(open: () => Transport, until: number, pauseMs = 1_000): Promise<Reconnected> {
  const started = Date.now();
  let attempts = 0;
  for (;;) {
    attempts += 1;
    const t = open();
    const answered = await t
      .run(['true'], { timeoutMs: 30_000 })
      .then((r) => r.exitCode === 0 && !r.timedOut)
      .catch(() => false)
      .finally(() => t.close().catch(() => undefined));
    if (answered) return { ok: true, attempts, waitedMs: Date.now() - started };
    const left = until - Date.now();
    if (left <= 0) return { ok: false, attempts, waitedMs: Date.now() - started };
    await new Promise((r) => setTimeout(r, Math.min(pauseMs, left)));
  }
}
