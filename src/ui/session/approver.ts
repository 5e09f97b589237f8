// The ink approver: the deploy flow asks, the confirm prompt answers. After Ctrl-C "stop" or
// "roll back" it declines every next step, so the flow itself rolls back what it mutated and
// records the deploy: nothing is left half-applied and unrecorded.
import type { Approver } from '../../core/exec/types.js';
import type { Store } from './store.js';
import type { Confirm } from './state.js';

export function who(): string {
  return process.env['USER'] ?? process.env['LOGNAME'] ?? 'operator';
}

export function inkApprover(store: Store, user = who()): Approver {
  return (req) => {
    const stop = store.get().stop;
    if (stop) return Promise.resolve({ approved: false, approver: `${user} (Ctrl-C: ${stop === 'rollback' ? 'roll back' : 'stop'})` });
    return new Promise((resolve) => {
      let answered = false;
      const confirm: Confirm = {
        req,
        answer: (approved) => {
          // The first answer counts; a late second one must not close the next question.
          if (answered) return;
          answered = true;
          if (store.get().confirm === confirm) store.set({ confirm: null });
          resolve({ approved, approver: user });
        },
      };
      store.set({ confirm });
    });
  };
}

/** Ctrl-C's answer. stop / rollback decline the open question (if any) and every next one. */
export function interruptChoice(store: Store, choice: 'stop' | 'rollback' | 'continue'): void {
  if (choice === 'continue') return store.set({ interrupt: false });
  const open = store.get().confirm;
  store.set({
    interrupt: false,
    stop: choice,
    banners: [
      ...store.get().banners,
      { text: choice === 'rollback' ? 'Ctrl-C: rolling back after the current step' : 'Ctrl-C: stopping after the current step (what changed is rolled back)', tone: 'warn' },
    ],
  });
  open?.answer(false);
}
