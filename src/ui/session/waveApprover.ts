// The fleet view's wave approver: the wave's hosts and their exact commands on screen, answered
// there (y; production: the host names typed). As the CLI's (cli/waveApprover.ts), --yes
// pre-approves a staging wave only; after Ctrl-C every next wave is declined, so the rollout
// stops before it (the hosts deploying now finish: validated, or rolled back).
import type { WaveApprover } from '../../core/fleet/rollout.js';
import { waveTitle } from '../../core/fleet/waves.js';
import { displayStep } from '../../core/plan/display.js';
import type { FleetStore } from './fleetStore.js';
import type { AskHost, WaveAsk } from './fleetState.js';
import { who } from './approver.js';

export function inkWaveApprover(store: FleetStore, o: { yes: boolean; redact: (text: string) => string; user?: string }): WaveApprover {
  const user = o.user ?? who();
  return (req) => {
    const production = req.hosts.filter((h) => h.host.environment === 'production').map((h) => h.host.name);
    if (store.get().stop) return Promise.resolve({ approved: false, approver: `${user} (Ctrl-C: stop)` });
    if (o.yes && !production.length) return Promise.resolve({ approved: true, approver: `${user} (--yes)` });
    const hosts: AskHost[] = req.hosts.map(({ host, plan }) => ({
      name: host.name,
      environment: host.environment,
      target: host.target,
      from: plan.generations.current?.number ?? null,
      to: plan.generations.next?.number ?? null,
      commands: plan.steps.apply.map((s) => o.redact(displayStep(s, host.target))),
      checks: plan.steps.validate.length,
    }));
    return new Promise((resolve) => {
      let answered = false;
      const ask: WaveAsk = {
        rollout: req.rollout,
        title: waveTitle(req.wave, req.waves),
        number: req.wave.index + 1,
        of: req.waves,
        hosts,
        production,
        answer: (approved) => {
          // The first answer counts; a late second one must not close the next question.
          if (answered) return;
          answered = true;
          if (store.get().ask === ask) store.set({ ask: null, scroll: 0 });
          resolve({ approved, approver: user });
        },
      };
      store.set({ ask, scroll: 0 });
    });
  };
}

/** Ctrl-C: an open question is declined; a running wave finishes, and no next wave is approved. */
export function interruptFleet(store: FleetStore): void {
  const s = store.get();
  store.set({ stop: true, notice: 'Ctrl-C: the rollout stops before the next wave; the hosts deploying now finish (validated, or rolled back)' });
  s.ask?.answer(false);
}
