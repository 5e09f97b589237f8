// Each action's declared behaviour, stated once: what the deploy flow, the executor, the validation
// and the screen learn from the catalog instead of testing action ids by name.
import { describe, expect, it } from 'vitest';
import { ACTIONS, type ActionId, type CheckParser, type Effect } from '../../src/core/plan/catalog.js';
import { behaviourOf, stepLabel } from '../../src/core/plan/behaviour.js';
import { validationProposals } from '../../src/core/plan/steps.js';
import { CHECK_PARSERS } from '../../src/core/exec/checks.js';
import { sshTestHost } from '../helpers/testHost.js';

interface Declared {
  effect: Effect;
  parser?: CheckParser;
  cheap?: boolean;
  freshConnection?: boolean;
  stdin?: string;
}

// A Record over ActionId: a new action does not compile until it is stated here.
const TABLE: Record<ActionId, Declared> = {
  build: { effect: 'prepares' },
  'copy-closure': { effect: 'prepares' },
  'build-on-target': { effect: 'prepares' },
  'set-profile': { effect: 'switches-profile' },
  activate: { effect: 'activates' },
  'activate-test': { effect: 'activates' },
  'dry-activate': { effect: 'reads' },
  'switch-generation': { effect: 'switches-profile' },
  'list-generations': { effect: 'reads' },
  'diff-closures': { effect: 'reads' },
  'service-status': { effect: 'reads', parser: 'unit', cheap: true },
  'gateway-status': { effect: 'reads', parser: 'status', cheap: true },
  'gateway-health': { effect: 'reads', parser: 'health', cheap: true },
  'channels-probe': { effect: 'reads', parser: 'channels', cheap: false },
  'http-check': { effect: 'reads', parser: 'http', cheap: true },
  'secret-present': { effect: 'reads' },
  'log-tail': { effect: 'reads' },
  'state-dir': { effect: 'bookkeeping' },
  'lock-host': { effect: 'bookkeeping' },
  'unlock-host': { effect: 'bookkeeping' },
  'read-host-file': { effect: 'bookkeeping' },
  'read-lock': { effect: 'bookkeeping' },
  'write-host-file': { effect: 'bookkeeping', stdin: 'content' },
  'arm-watchdog': { effect: 'bookkeeping' },
  'confirm-watchdog': { effect: 'bookkeeping', freshConnection: true },
};

const ids = Object.keys(ACTIONS) as ActionId[];
const having = (f: (id: ActionId) => boolean) => ids.filter(f).sort();

describe('the behaviour each action declares in the catalog', () => {
  it('the table states every action of the catalog, and nothing else', () => {
    expect(Object.keys(TABLE).sort()).toEqual([...ids].sort());
  });

  it.each(ids.map((id) => [id, TABLE[id]] as const))('%s: %o', (id, d) => {
    const spec = ACTIONS[id] as { effect: Effect; parser?: CheckParser; cheap?: boolean; freshConnection?: boolean; stdin?: string };
    expect({ effect: spec.effect, parser: spec.parser, cheap: spec.cheap, freshConnection: spec.freshConnection, stdin: spec.stdin }).toEqual({
      effect: d.effect,
      parser: d.parser,
      cheap: d.cheap,
      freshConnection: d.freshConnection,
      stdin: d.stdin,
    });
    const b = behaviourOf(id);
    expect(b).toEqual(behaviourOf({ action: id }));
    expect(b).toMatchObject({ effect: d.effect, parser: d.parser ?? null, cheap: d.cheap === true, freshConnection: d.freshConnection === true, stdin: d.stdin ?? null });
  });

  it('the generation changes through exactly these: set-profile and switch-generation point the profile, activate (and activate-test, NixOS test) runs it', () => {
    expect(having((id) => behaviourOf(id).switchesProfile)).toEqual(['set-profile', 'switch-generation']);
    expect(having((id) => behaviourOf(id).activates)).toEqual(['activate', 'activate-test']);
    expect(having((id) => behaviourOf(id).changesGeneration)).toEqual(['activate', 'activate-test', 'set-profile', 'switch-generation']);
  });

  it("clawdeploy's own bookkeeping (lock, host record, watchdog) is what the screen leaves out", () => {
    expect(having((id) => behaviourOf(id).bookkeeping)).toEqual(['arm-watchdog', 'confirm-watchdog', 'lock-host', 'read-host-file', 'read-lock', 'state-dir', 'unlock-host', 'write-host-file']);
  });

  it('only the watchdog confirm needs a fresh connection; only the host record goes on stdin', () => {
    expect(having((id) => behaviourOf(id).freshConnection)).toEqual(['confirm-watchdog']);
    expect(having((id) => behaviourOf(id).stdin !== null)).toEqual(['write-host-file']);
  });

  it('every validation step is a check with a parser that exists, and only the channel probe is not polled often', () => {
    const host = sshTestHost({
      gateway: { ...sshTestHost().gateway, manager: 'systemd-user' },
      healthChecks: {
        http: [
          { path: '/healthz', port: 18789 },
          { path: '/readyz', port: 18789 },
        ],
      },
    });
    const actions = [...new Set(validationProposals(host).map((p) => p.action))].sort();
    expect(actions).toEqual(['channels-probe', 'gateway-health', 'gateway-status', 'http-check', 'service-status']);
    for (const a of actions) expect(CHECK_PARSERS[behaviourOf(a).parser!]).toBeTypeOf('function');
    expect(actions.filter((a) => !behaviourOf(a).cheap)).toEqual(['channels-probe']);
    // Nothing else has a parser: the executor parses no other output.
    expect(having((id) => behaviourOf(id).parser !== null)).toEqual(actions);
  });

  it('an action outside the catalog declares nothing (its step is refused before it runs)', () => {
    for (const id of ['rm-rf', 'toString', '__proto__']) {
      expect(behaviourOf(id)).toEqual({
        effect: null,
        switchesProfile: false,
        activates: false,
        changesGeneration: false,
        bookkeeping: false,
        freshConnection: false,
        stdin: null,
        parser: null,
        cheap: false,
      });
    }
  });

  it('a step reads as its label: an HTTP check by its path, anything else by its action', () => {
    expect(stepLabel({ action: 'http-check', args: { port: 18789, path: '/readyz' } })).toBe('http /readyz');
    // From an unvalidated step (a refused runbook step still reaches the screen).
    expect(stepLabel({ action: 'http-check', args: {} })).toBe('http ');
    expect(stepLabel({ action: 'channels-probe', args: { port: 18789, channels: ['telegram'] } })).toBe('channels-probe');
    expect(stepLabel({ action: 'rm-rf', args: {} })).toBe('rm-rf');
  });
});
