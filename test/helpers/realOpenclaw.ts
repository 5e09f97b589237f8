// The real OpenClaw for the real tier. CI installs it (`npm test` runs .ci/setup-real-openclaw.sh),
// so there a missing install is a failure, never a skip; elsewhere the real tier is skipped with
// the command that installs it.
import { findRealOpenclaw, type RealOpenclaw } from '../../src/demo/realOpenclaw.js';

export const realOpenclaw: RealOpenclaw | null = findRealOpenclaw();

/** For describe.skipIf: true when the real tier cannot run here (and this is not CI). */
export const skipReal = realOpenclaw === null && !process.env['CI'];

/** The install, or a clear failure (in CI the real tier must run). */
export function requireRealOpenclaw(): RealOpenclaw {
  if (!realOpenclaw) throw new Error('the real OpenClaw is not installed: run bash .ci/setup-real-openclaw.sh');
  return realOpenclaw;
}
