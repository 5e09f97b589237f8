// Phase timings for finding slow steps: CLAWDEPLOY_TIMING=1 prints them to stderr.
const enabled = Boolean(process.env['CLAWDEPLOY_TIMING']);

export async function timed<T>(name: string, fn: () => Promise<T>): Promise<T> {
  if (!enabled) return fn();
  const t0 = performance.now();
  try {
    return await fn();
  } finally {
    process.stderr.write(`[timing] ${name}: ${(performance.now() - t0).toFixed(0)} ms\n`);
  }
}
