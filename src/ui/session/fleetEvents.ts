// A rollout's events folded into the fleet view's state, one at a time, with no side effect:
// hosts as they are reached and planned, waves as they are asked and run, each host's running
// step and last validation from its deploy's events, and a failed wave's rollback as it happens.
import type { RolloutEvent } from '../../core/fleet/rollout.js';
import type { HostEvent } from '../../core/deploy/service.js';
import type { DeployEvent } from '../../core/deploy/apply.js';
import { behaviourOf, stepLabel } from '../../core/plan/behaviour.js';
import { healthRows } from './events.js';
import type { FleetHost, FleetHostState, FleetState, FleetWave } from './fleetState.js';

type Redact = (text: string) => string;

const PHASE: Partial<Record<Extract<DeployEvent, { type: 'phase' }>['phase'], string>> = {
  apply: 'applying',
  validate: 'validating',
  rollback: 'rolling back',
  verify: 'verifying',
  confirm: 'confirming',
};

export function newHost(name: string): FleetHost {
  return { name, environment: null, from: null, to: null, state: 'pending', phase: null, step: null, health: null, detail: null };
}

function withHost(s: FleetState, name: string, patch: Partial<FleetHost>): FleetState {
  const known = s.hosts.some((h) => h.name === name);
  const hosts = known ? s.hosts.map((h) => (h.name === name ? { ...h, ...patch } : h)) : [...s.hosts, { ...newHost(name), ...patch }];
  return { ...s, hosts };
}

export function reduceFleet(s: FleetState, e: RolloutEvent, redact: Redact = (t) => t): FleetState {
  switch (e.type) {
    case 'reachable':
      return withHost(s, e.host, e.ok ? {} : { state: 'skipped', detail: redact(e.reason ?? 'unreachable') });
    case 'planned': {
      const g = e.plan.generations;
      const state: Partial<FleetHost> = e.plan.status === 'no-change' ? { state: 'no-change' } : e.plan.status === 'blocked' ? { state: 'blocked' } : {};
      return { ...withHost(s, e.host, { environment: e.plan.host.environment, from: g.current?.number ?? null, to: g.next?.number ?? null, ...state }), stage: 'planning' };
    }
    case 'wave':
      return waveEvent(s, e);
    case 'host': {
      const state: FleetHostState = e.outcome === 'skipped-unreachable' ? 'skipped' : e.outcome === 'applied-for-next-boot' ? 'next-boot' : e.outcome;
      // A host that starts has no health and nothing to say yet; one that ended says why.
      const fresh = state === 'running' ? { health: null, detail: null } : {};
      return withHost(s, e.host, { state, phase: null, step: null, ...fresh, ...(e.detail ? { detail: redact(e.detail) } : {}) });
    }
    case 'host-event':
      return hostEvent(s, e.event, redact);
  }
}

function waveEvent(s: FleetState, e: Extract<RolloutEvent, { type: 'wave' }>): FleetState {
  const before = new Map(s.waves.map((w) => [w.index, w.state]));
  const cut = e.waves.some((w) => w.index === e.wave.index) ? e.waves : [...e.waves, e.wave];
  const waves: FleetWave[] = cut.map((w) => ({ index: w.index, label: w.label, hosts: w.hosts, state: w.index === e.wave.index ? e.state : (before.get(w.index) ?? 'pending') }));
  // A new current wave is followed from its top (the arrows scroll from there).
  let next: FleetState = { ...s, rollout: e.rollout, stage: 'waves', waves, current: e.wave.index, scroll: e.wave.index === s.current ? s.scroll : 0 };
  for (const w of waves) for (const name of w.hosts) if (!next.hosts.some((h) => h.name === name)) next = withHost(next, name, {});
  if (e.state === 'declined') {
    // The rollout stops before this wave: its hosts and every later wave's never start.
    const later = new Set(waves.filter((w) => w.index >= e.wave.index).flatMap((w) => w.hosts));
    next = { ...next, hosts: next.hosts.map((h) => (later.has(h.name) && h.state === 'pending' ? { ...h, state: 'not-started' } : h)) };
  }
  return next;
}

function hostEvent(s: FleetState, h: HostEvent, redact: Redact): FleetState {
  if (h.type === 'notice') return withHost(s, h.host, { detail: redact(h.text) });
  if (h.type !== 'deploy') return s;
  const d = h.event;
  // Deploy events for a host that already succeeded: its failed wave is taking it back (what its deploy said is over).
  const was = s.hosts.find((x) => x.name === h.host)?.state;
  const back: Partial<FleetHost> = was === 'succeeded' || was === 'next-boot' ? { state: 'rolling-back', detail: null } : {};
  switch (d.type) {
    case 'phase': {
      const phase = PHASE[d.phase];
      return phase ? withHost(s, h.host, { ...back, phase, step: null }) : s;
    }
    case 'step-start':
      // clawdeploy's own files on the host (lock, record, watchdog): not steps a person follows.
      return behaviourOf(d.step).bookkeeping ? s : withHost(s, h.host, { ...back, step: stepLabel(d.step) });
    case 'step-end':
      return behaviourOf(d.step).bookkeeping ? s : withHost(s, h.host, { step: null });
    case 'validation':
      return withHost(s, h.host, { health: healthOf(d, redact) });
    case 'output':
      return s;
  }
}

function healthOf(d: Extract<DeployEvent, { type: 'validation' }>, redact: Redact): FleetHost['health'] {
  const rows = healthRows(d.steps, d.results);
  const bad = rows.find((r) => !r.result.ok && !r.result.notRun) ?? rows.find((r) => !r.result.ok);
  if (!bad) {
    const text = `ok: ${rows.length} check${rows.length === 1 ? '' : 's'}`;
    return { ok: true, short: text, text };
  }
  return { ok: false, short: `FAIL ${bad.check}`, text: redact(`${bad.check}: ${bad.result.summary}${d.attempt > 1 ? ` (attempt ${d.attempt})` : ''}`) };
}
