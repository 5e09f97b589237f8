// In incident mode the question input talks about the incident, not about a plan.
import { describe, expect, it } from 'vitest';
import { DeploySession } from '../../src/ui/session/deploy.js';
import { Store } from '../../src/ui/session/store.js';
import type { UiContext } from '../../src/ui/session/context.js';
import { IncidentChat } from '../../src/core/assistant/incident.js';
import type { RollbackProposal } from '../../src/core/deploy/rollback.js';
import type { Host } from '../../src/core/inventory/schema.js';

const host = { name: 'staging', environment: 'staging', target: 'local', kind: 'home-manager' } as Host;
const g1 = { number: 1, date: '2026-11-20 10:00:00', storePath: '/nix/store/0c7vs2mgn8d1yyq9dqb6pwz6h1yfrrl3-home-manager-generation', current: false, lastKnownGood: true };
const g2 = { number: 2, date: '2026-11-24 06:00:00', storePath: '/nix/store/1d8wz3nhp9f2zzr0frc7qxa7j2zgssm4-home-manager-generation', current: true, lastKnownGood: false };
const proposal: RollbackProposal = {
  generations: [g1, g2], current: g2, target: g1, changes: [],
  healthNow: [{ check: 'http /healthz', result: { ok: false, summary: 'no gateway listening on port 18789 (GET /healthz on port 18789: connection refused)' } }],
};

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
