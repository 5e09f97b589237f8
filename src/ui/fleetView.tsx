// `clawdeploy apply --on` in a terminal: the fleet view drawn with ink while the CLI runs the
// rollout. The CLI gets the view's event sink and wave approver, and closes the view before it
// prints the rollout's table (the last frame stays on screen above it).
import { render } from 'ink';
import type { RolloutEvent, WaveApprover } from '../core/fleet/rollout.js';
import { FleetPanel } from './components/FleetPanel.js';
import { FleetStore } from './session/fleetStore.js';
import { reduceFleet } from './session/fleetEvents.js';
import { inkWaveApprover } from './session/waveApprover.js';
import { screenRedactor } from '../cli/redactor.js';

export interface FleetView {
  on: (e: RolloutEvent) => void;
  approveWave: WaveApprover;
  /** The rollout ended (or never started): the last frame, then the terminal is the CLI's again. */
  close(): Promise<void>;
}

export function openFleetView(o: { selector: string; yes: boolean }): FleetView {
  const redactor = screenRedactor();
  const redact = (text: string) => redactor.redact(text);
  const store = new FleetStore({ selector: o.selector });
  // Ctrl-C is a key here (raw mode): the view stops the rollout between waves, never mid-deploy.
  const app = render(<FleetPanel store={store} />, { exitOnCtrlC: false });
  return {
    on: (e) => store.set((s) => reduceFleet(s, e, redact)),
    approveWave: inkWaveApprover(store, { yes: o.yes, redact }),
    close: async () => {
      store.set({ stage: 'done', ask: null });
      // React draws a store change in a microtask or so: the last frame must be the final state.
      await new Promise((r) => setImmediate(r));
      app.unmount();
      await app.waitUntilExit();
    },
  };
}
