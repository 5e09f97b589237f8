// --goal: one of NixOS's switch-to-configuration goals, or a one-line error naming the flag.
import { UserError } from '../core/errors.js';
import { Goal } from '../core/inventory/schema.js';

export function parseGoal(value: string | undefined): Goal | undefined {
  if (value === undefined) return undefined;
  const g = Goal.safeParse(value);
  if (!g.success) throw new UserError(`--goal ${value}: expected ${Goal.options.slice(0, -1).join(', ')} or ${Goal.options.at(-1)}`);
  return g.data;
}
