// In incident mode the question input talks about the incident, not about a plan.
import { describe, expect, it } from 'vitest';
import { DeploySession } from '../../src/ui/session/deploy.js';
import { Store } from '../../src/ui/session/store.js';
import type { UiContext } from '../../src/ui/session/context.js';
import { IncidentChat } from '../../src/core/assistant/incident.js';
import { testHost } from '../helpers/testHost.js';
import { rollbackProposal } from '../helpers/rollback.js';

const host = testHost();
const proposal = rollbackProposal([{ check: 'http /healthz', result: { ok: false, summary: 'no gateway listening on port 18789 (GET /healthz on port 18789: connection refused)' } }], { changes: [] });

describe('questions in incident mode', () => {
  it('wait for the proposal, then go to the incident conversation', async () => {
    const store = new Store({ mode: 'applying', incident: true, host: 'staging' });
    const deploy = new DeploySession({ store, redact: (s: string) => s } as unknown as UiContext);
    await deploy.ask('which one?');
    expect(store.get().answer).toMatch(/once the generations, the health now and the diff are on screen/);
    deploy.useIncident(new IncidentChat({ provider: null, proposal, host, redact: (s) => s }));
    await deploy.ask('which one?');
    expect(store.get().answer).toMatch(/^\(offline: no model\) which one\?\nRoll back to generation 1/);
    expect(store.get().answer).toMatch(/The gateway does not answer/);
  });
});
