// The fleet commands' numeric flags (--parallel, --canary): a whole number in range, or a
// one-line error naming the flag.
import { UserError } from '../core/errors.js';

export function fleetCount(flag: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > 1000) throw new UserError(`${flag} ${value}: expected a whole number from ${min} to 1000`);
  return n;
}
