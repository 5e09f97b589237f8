import { UserError } from '../core/errors.js';

/**
 * `CLAWDEPLOY_WATCHDOG_SECONDS`: how long an ssh host waits for the confirm before it returns to
 * the previous generation on its own (default 120). Longer for slow gateways, shorter for tests.
 */
export function watchdogSecondsFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const text = env['CLAWDEPLOY_WATCHDOG_SECONDS'];
  if (text === undefined || text === '') return undefined;
  const s = Number(text);
  if (!(Number.isInteger(s) && s >= 5 && s <= 3600)) throw new UserError(`CLAWDEPLOY_WATCHDOG_SECONDS=${text}: whole seconds between 5 and 3600`);
  return s;
}
