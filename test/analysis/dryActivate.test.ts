// What NixOS's switch-to-configuration dry-activate prints (stderr, one line per kind of change, in
// nixpkgs' words) turned into the plan's change and what it means for the gateway.
import { describe, expect, it } from 'vitest';
import { describeDryActivation, dryActivationFacts, parseDryActivation } from '../../src/core/analysis/dryActivate.js';

// As the real one prints it for a changed gateway unit (stopIfChanged: stopped, then started) and
// an activation script asking for reloads and restarts.
const REAL = [
  'would stop the following units: openclaw-gateway.service, nscd.service',
  'would NOT stop the following changed units: systemd-journald.service',
  'would activate the configuration...',
  'would restart systemd',
  'would reload the following units: dbus.service',
  'would restart the following units: polkit.service',
  'would start the following units: openclaw-gateway.service, nscd.service',
].join('\n');

describe('parseDryActivation', () => {
  it('reads every list and the systemd restart', () => {
    expect(parseDryActivation(REAL)).toEqual({
      stop: ['openclaw-gateway.service', 'nscd.service'],
      notStopped: ['systemd-journald.service'],
      reload: ['dbus.service'],
      restart: ['polkit.service'],
      start: ['openclaw-gateway.service', 'nscd.service'],
      restartSystemd: true,
    });
  });

  it('nothing to do is only the activation line; other text (a switch inhibitor notice, stdout) is ignored', () => {
    const d = parseDryActivation('Not checking switch inhibitors (action = dry-activate)\nwould activate the configuration...\n');
    expect(d).toEqual({ stop: [], notStopped: [], reload: [], restart: [], start: [], restartSystemd: false });
    expect(describeDryActivation(d)).toBe('activating it would stop, restart or start no unit');
  });

  it('says a stopped-and-started unit once, the rest as they come', () => {
    expect(describeDryActivation(parseDryActivation(REAL))).toBe(
      'activating it would stop and start openclaw-gateway.service, nscd.service; restart polkit.service; reload dbus.service; restart systemd; leave the changed systemd-journald.service running',
    );
    expect(describeDryActivation(parseDryActivation('would stop the following units: openclaw-gateway.service'))).toBe('activating it would stop openclaw-gateway.service');
  });
});

describe('dryActivationFacts', () => {
  it('a change with the units as data, and an info finding when the gateway would restart', () => {
    const f = dryActivationFacts(parseDryActivation(REAL), 'openclaw-gateway', true);
    expect(f.changes).toEqual([
      { kind: 'generation', summary: expect.stringMatching(/^dry-activate: activating it would stop and start openclaw-gateway\.service/), detail: { dryActivate: parseDryActivation(REAL) } },
    ]);
    expect(f.findings).toEqual([{ code: 'dry-activate-gateway', severity: 'info', message: 'activating the new build would restart the gateway (openclaw-gateway.service)' }]);
  });

  it('warns when a running gateway would keep its old program and config (no restart trigger)', () => {
    const f = dryActivationFacts(parseDryActivation('would activate the configuration...\nwould restart the following units: polkit.service'), 'openclaw-gateway', true);
    expect(f.findings).toMatchObject([{ code: 'dry-activate-gateway', severity: 'warn', message: expect.stringMatching(/would not restart the gateway \(openclaw-gateway\.service\)/) }]);
  });

  it('a gateway not running yet is started through its target, which dry-activate does not list: nothing to warn about', () => {
    expect(dryActivationFacts(parseDryActivation('would activate the configuration...'), 'openclaw-gateway', false).findings).toEqual([]);
  });
});
