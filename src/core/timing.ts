// Phase timings for finding slow steps: CLAWDEPLOY_TIMING=1 prints them to stderr.
const enabled = Boolean(process.env['CLAWDEPLOY_TIMING']);

export async function timed<T>(name: string, fn: () => Promise<T>): Promise<T> {
  if (!enabled) return fn();
  const t0 = performance.now();
  try {
    return await fn();
  } finally {
    process.stderr.write(`[timing] ${name}: ${(performance.now() - t0).toFixed(0)} ms (at ${performance.now().toFixed(0)} ms)\n`);
  }
}

/** Marks a moment: how long since the process started. */
export function mark(name: string): void {
  if (enabled) process.stderr.write(`[timing] ${name} at ${performance.now().toFixed(0)} ms (rss ${(process.memoryUsage.rss() / 1048576).toFixed(0)} MB)\n`);
}
