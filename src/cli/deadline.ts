import { UserError } from '../core/errors.js';

/** `--deadline S`: whole or fractional seconds between 1 and 3600, or undefined for the default. */
export function parseDeadline(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const s = Number(text);
  if (!(s >= 1 && s <= 3600)) throw new UserError(`--deadline ${text}: seconds between 1 and 3600`);
  return s;
}
