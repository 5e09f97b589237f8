// Entry of the interactive session, imported lazily by the CLI when stdout is a terminal (ink
// and react are heavy: `clawdeploy --help` must stay fast).
import { render } from 'ink';
import { App, start } from './App.js';
import { openContext, type UiOptions } from './session/context.js';
import { DeploySession } from './session/deploy.js';
import { Store } from './session/store.js';
import { screenRedactor } from '../cli/redactor.js';

export async function runUi(o: UiOptions & { host?: string; incident?: boolean }): Promise<number> {
  const store = new Store({ mode: o.host ? 'planning' : 'picker', incident: Boolean(o.incident), panel: o.incident ? 'generations' : 'plan', host: o.host ?? null });
  const ctx = openContext(o, store);
  const deploy = new DeploySession(ctx);
  const app = render(<App ctx={ctx} deploy={deploy} />, { exitOnCtrlC: false });
  start(ctx, deploy, o);
  try {
    await app.waitUntilExit();
  } finally {
    ctx.deps.close();
  }
  const s = store.get();
  // The last word stays in the scrollback as a plain line.
  if (s.result) process.stdout.write(screenRedactor().redact(`${s.result.message}\n`));
  return s.exitCode;
}

// The fleet view (`apply --on` in a terminal) is in the same bundle, loaded the same way.
export { openFleetView, type FleetView } from './fleetView.js';
