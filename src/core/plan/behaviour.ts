// What a step does, as the deploy flow, the executor and the screen need to know it: read from
// the catalog's declaration of its action, so the flow never tests action ids by name and a new
// action says what it is in one place (test/plan/behaviour.test.ts states each one).
import { ACTIONS, isActionId, type ActionSpec, type CheckParser, type Effect } from './catalog.js';

export interface Behaviour {
  /** null: not an action of the catalog (a step that will be refused). */
  effect: Effect | null;
  /** Points the profile at another generation (nothing runs it until an activation). */
  switchesProfile: boolean;
  /** Runs the generation the profile points at (restarts the gateway). */
  activates: boolean;
  /** Either of the two: the generation the host runs changes. */
  changesGeneration: boolean;
  /** clawdeploy's own files on the host (lock, record, watchdog): not a step a person reviews. */
  bookkeeping: boolean;
  /** Must run over a new connection, never the shared one. */
  freshConnection: boolean;
  /** The argument sent on stdin, if any. */
  stdin: string | null;
  /** The parser of its output, for a validation check. */
  parser: CheckParser | null;
  /** A check that costs one request, polled often. */
  cheap: boolean;
}

const specOf = (action: string): ActionSpec | null => (isActionId(action) ? (ACTIONS[action] as unknown as ActionSpec) : null);

/** The declared behaviour of a step's action (or of an action id). */
export function behaviourOf(step: { action: string } | string): Behaviour {
  const spec = specOf(typeof step === 'string' ? step : step.action);
  const effect = spec?.effect ?? null;
  return {
    effect,
    switchesProfile: effect === 'switches-profile',
    activates: effect === 'activates',
    changesGeneration: effect === 'switches-profile' || effect === 'activates',
    bookkeeping: effect === 'bookkeeping',
    freshConnection: spec?.freshConnection === true,
    stdin: spec?.stdin ?? null,
    parser: spec?.parser ?? null,
    cheap: spec?.cheap === true,
  };
}

/** How a person reads a step in the step list and the health table ("http /readyz"; else its action). */
export function stepLabel(step: { action: string; args: Record<string, unknown> }): string {
  return specOf(step.action)?.label?.(step.args) ?? step.action;
}
