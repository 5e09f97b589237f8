// How clawdeploy reads and words the host's watchdog files (the e2e tests run the real watchdog).
import { describe, expect, it } from 'vitest';
import { describeArmed, isUnreported, parseArmed, parseFired, watchdogReport } from '../../src/core/deploy/watchdog.js';
import { watchdogArmed } from '../../src/core/deploy/hostFiles.js';
import { watchdogSecondsFromEnv } from '../../src/cli/watchdogSeconds.js';

const now = new Date('2026-03-01T18:00:00.000Z');
const armed = watchdogArmed(4, 120, 'abcdef12-3456', now);
const canary = `${JSON.stringify(armed)}\n`;

describe('the watchdog files', () => {
  it('the canary says whose watchdog it is, where it returns the host and when', () => {
    expect(parseArmed(canary)).toEqual(armed);
    expect(armed).toMatchObject({ revertTo: 4, armedAt: '2026-03-01T18:00:00.000Z', deadline: '2026-03-01T18:02:00.000Z' });
    // A canary of an older clawdeploy ("armed"): a watchdog all the same, details unknown.
    expect(parseArmed('armed\n')).toEqual({ deploymentId: null, revertTo: null, armedAt: null, deadline: null, by: null });
  });

  it('the fired file: the canary, then when it fired, then how the revert ended', () => {
    expect(parseFired(canary)).toMatchObject({ armed: { revertTo: 4 }, firedAt: null, done: null });
    const fired = parseFired(`${canary}fired 2026-03-01T18:02:00Z\ndone 0 2026-03-01T18:02:03Z\n`);
    expect(fired).toMatchObject({ firedAt: '2026-03-01T18:02:00Z', done: { exitCode: 0, at: '2026-03-01T18:02:03Z' } });
    expect(parseFired(`${canary}fired 2026-03-01T18:02:00Z\ndone 4 2026-03-01T18:02:09Z\n`).done).toEqual({ exitCode: 4, at: '2026-03-01T18:02:09Z' });
  });

  it('status: armed with its deadline, then overdue when it never fired (its process is gone)', () => {
    const r = watchdogReport({ armed: parseArmed(canary), fired: null }, null, 'staging', new Date('2026-03-01T18:01:30Z'));
    expect(r).toMatchObject({ state: 'armed', deadline: armed.deadline, revertTo: 4 });
    expect(r!.message).toBe('the watchdog of deployment abcdef12 returns staging to generation 4 at 2026-03-01 18:02:00 UTC (in 30 s) unless confirmed');
    expect(watchdogReport({ armed: parseArmed(canary), fired: null }, null, 'staging', new Date('2026-03-01T18:03:30Z'))).toMatchObject({ state: 'overdue' });
    expect(describeArmed(parseArmed('armed\n'), 'staging', now)).toMatch(/returns the host to its previous generation unless confirmed/);
  });

  it('a revert is reported until a record on the host is newer than it', () => {
    const fired = parseFired(`${canary}fired 2026-03-01T18:02:00Z\ndone 0 2026-03-01T18:02:03Z\n`);
    expect(isUnreported(fired, null)).toBe(true);
    expect(isUnreported(fired, '2026-03-01T17:00:00.000Z')).toBe(true);
    expect(isUnreported(fired, '2026-03-01T18:05:00.000Z')).toBe(false);
    expect(watchdogReport({ armed: null, fired }, '2026-03-01T17:00:00.000Z', 'staging')).toMatchObject({ state: 'reverted', firedAt: '2026-03-01T18:02:00Z' });
    expect(watchdogReport({ armed: null, fired }, '2026-03-01T18:05:00.000Z', 'staging')).toBeNull();
    const failed = parseFired(`${canary}fired 2026-03-01T18:02:00Z\ndone 4 2026-03-01T18:02:09Z\n`);
    expect(watchdogReport({ armed: null, fired: failed }, null, 'staging')!.message).toMatch(/tried to return staging to generation 4 at .*, but the switch or activation exited 4/);
    expect(watchdogReport({ armed: null, fired: parseFired(`${canary}fired 2026-03-01T18:02:00Z\n`) }, null, 'staging')).toMatchObject({ state: 'reverting' });
  });

  it('CLAWDEPLOY_WATCHDOG_SECONDS: whole seconds the arm-watchdog action accepts (5-3600)', () => {
    expect(watchdogSecondsFromEnv({})).toBeUndefined();
    expect(watchdogSecondsFromEnv({ CLAWDEPLOY_WATCHDOG_SECONDS: '30' })).toBe(30);
    for (const bad of ['4', '3601', '1.5', 'x']) expect(() => watchdogSecondsFromEnv({ CLAWDEPLOY_WATCHDOG_SECONDS: bad })).toThrow(/CLAWDEPLOY_WATCHDOG_SECONDS/);
  });
});
