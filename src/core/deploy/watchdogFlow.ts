// What a command does about a watchdog it armed or finds: confirm it (or disarm it before a
// rollback of its own), follow a revert it is doing, and, when the link is lost, say when the host
// reverts on its own, reconnect, and look at what really happened instead of guessing.
import { UserError } from '../errors.js';
import type { Approver } from '../exec/types.js';
import { waitForHost } from '../transport/reconnect.js';
import { confirmStep, type WatchdogArmed } from './hostFiles.js';
import type { Runner } from './runner.js';
import { clock, describeArmed, describeFired, isOverdue, isUnreported, readRecordAt, readWatchdog, runnerReader, type FiredInfo, type WatchdogView } from './watchdog.js';

/** After its deadline, how long a watchdog's revert (and a lost link) is waited for before giving up. */
export const REVERT_GRACE_MS = 120_000;
const POLL_MS = 1_000;

export type Settled =
  /** The canary is gone and no revert happens: confirmed by us (or removed by someone else). */
  | { kind: 'confirmed' }
  /** The watchdog took the canary: the host returned (or is returning) on its own. */
  | { kind: 'fired'; fired: FiredInfo }
  /** The host could not be reached again in time: nothing about it is known. */
  | { kind: 'unknown'; message: string };

/**
 * Removes this deploy's canary over a fresh connection: the confirm after validation, or the
 * disarm before a rollback of our own (either way the watchdog must not switch the host too).
 * `lost`: the link is known lost already (why): no confirm is tried before the host answers again.
 */
export async function confirmOrFollow(runner: Runner, armed: WatchdogArmed, say: (message: string) => void, lost?: string): Promise<Settled> {
  const host = runner.exec.host.name;
  const until = waitEnd(armed);
  for (let tries = 1; ; tries++) {
    let why = lost;
    lost = undefined;
    if (why === undefined) {
      const c = await runner.run(confirmStep(runner.exec.actionCtx), 'bookkeeping');
      if (c.status === 'ok') return { kind: 'confirmed' };
      if (canaryGone(c)) {
        // The watchdog took the canary (it fired), or a person removed it.
        const fired = await followRevert(runner, armed.deploymentId, until);
        if (!fired) return { kind: 'confirmed' };
        say(describeFired(fired, host));
        return { kind: 'fired', fired };
      }
      // Not run at all (policy), or failing on a host that answers: no reconnecting fixes that.
      if (c.status !== 'failed' || tries > 3) return { kind: 'unknown', message: `could not confirm the watchdog on ${host}: ${c.reason ?? c.status}` };
      // The fresh connection failed: the host may be fine, the link is not.
      why = c.reason ?? 'unreachable';
    }
    if (Date.now() >= until) return { kind: 'unknown', message: lostMessage(host, armed, until) };
    say(`lost the connection to ${host} (${why}): ${describeArmed(armed, host)}; reconnecting until ${clock(new Date(until).toISOString())} to see what it runs`);
    const back = await waitForHost(runner.exec.freshTransport!, until);
    if (!back.ok) return { kind: 'unknown', message: lostMessage(host, armed, until) };
    say(`reconnected to ${host} after ${Math.round(back.waitedMs / 1000)} s`);
  }
}

/** Until when a watchdog's revert (or the host after a lost link) is waited for: its deadline plus the grace. */
function waitEnd(armed: { deadline: string | null | undefined }): number {
  return (armed.deadline ? Date.parse(armed.deadline) : Date.now()) + REVERT_GRACE_MS;
}

/** The confirm's `rm` ran and found no canary. */
const canaryGone = (o: { status: string; stderr: string }) => o.status === 'failed' && /No such file/i.test(o.stderr);

function lostMessage(host: string, armed: WatchdogArmed, until: number): string {
  return `lost the connection to ${host} and it did not answer again by ${clock(new Date(until).toISOString())}: its watchdog was to return it to generation ${armed.revertTo} at ${clock(armed.deadline)}; nothing is verified, and the host's lock stays until a clawdeploy of this machine takes it over; once it answers: clawdeploy status ${host}`;
}

/**
 * The revert a watchdog of `deploymentId` is doing, followed until it is done (or `until`): null
 * when no watchdog of that deployment fired. A read that fails (a flapping link) is retried.
 */
export async function followRevert(runner: Runner, deploymentId: string | null, until: number): Promise<FiredInfo | null> {
  for (;;) {
    const v = await readWatchdog(runnerReader(runner), runner.exec.host).catch(() => null);
    const f = v?.fired;
    if (v && (!f || f.armed.deploymentId !== deploymentId)) return null;
    if (f?.done || Date.now() >= until) return f ?? null;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/**
 * Before an interrupted deploy is planned again (`apply --resume`): a watchdog still armed is
 * honoured, i.e. waited for, since the host is to return to where it was before that deploy;
 * planning first would find the unconfirmed generation current and call it "nothing to deploy".
 */
export async function honourWatchdog(runner: Runner, say: (message: string) => void): Promise<void> {
  const host = runner.exec.host.name;
  const v = await readWatchdog(runnerReader(runner), runner.exec.host);
  if (!v.armed) return reportRevert(runner, v, say);
  if (isOverdue(v.armed)) throw new UserError(`${describeArmed(v.armed, host)}; run \`clawdeploy rollback ${host}\` (it removes the stale canary)`);
  say(`${describeArmed(v.armed, host)}: waiting for it before planning again (or stop and run \`clawdeploy rollback ${host}\`)`);
  const until = waitEnd(v.armed);
  for (;;) {
    const now = await readWatchdog(runnerReader(runner), runner.exec.host);
    if (!now.armed) break;
    if (Date.now() >= until) throw new UserError(`${describeArmed(now.armed, host)}; run \`clawdeploy rollback ${host}\``);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  const fired = await followRevert(runner, v.armed.deploymentId, until);
  if (!fired) return say(`the watchdog of ${host} was disarmed by someone else: the host stays where it is`);
  say(describeFired(fired, host));
  if (!fired.done || fired.done.exitCode !== 0) throw new UserError(`${describeFired(fired, host)}; run \`clawdeploy rollback ${host}\``);
}

/**
 * Before a manual rollback switches the host: a watchdog left armed (by a deploy killed before its
 * confirm) is disarmed, or it would switch and activate again after the rollback. One that already
 * fired is followed to its end first, so the two never switch at once. `seen`: the files, when
 * they were read already (while the rollback waited for other things).
 */
export async function disarmLeftover(runner: Runner, say: (message: string) => void, seen?: Promise<WatchdogView>): Promise<void> {
  const host = runner.exec.host.name;
  const v = await (seen ?? readWatchdog(runnerReader(runner), runner.exec.host));
  if (!v.armed) return reportRevert(runner, v, say);
  const c = await runner.run(confirmStep(runner.exec.actionCtx), 'bookkeeping');
  if (c.status === 'ok') return say(`disarmed a leftover watchdog: ${describeArmed(v.armed, host)}`);
  if (!canaryGone(c)) throw new UserError(`cannot disarm the watchdog on ${host}: ${c.reason ?? c.status}; nothing was switched`);
  const until = waitEnd(v.armed);
  const fired = await followRevert(runner, v.armed.deploymentId, until);
  if (fired) say(describeFired(fired, host));
}

/** A revert a watchdog did that no record on the host accounts for yet is said (once the record is newer, it is history). */
async function reportRevert(runner: Runner, v: WatchdogView, say: (message: string) => void): Promise<void> {
  if (!v.fired) return;
  const recordAt = await readRecordAt(runnerReader(runner), runner.exec.host).catch(() => null);
  if (isUnreported(v.fired, recordAt)) say(describeFired(v.fired, runner.exec.host.name));
}

/**
 * The runner's approver, disarming a leftover watchdog (disarmLeftover) the moment the switch is
 * approved, before it runs: a rollback the person declines leaves the watchdog armed as it was.
 * A disarm that fails fails the approval, so nothing is switched.
 */
export function disarmOnApproval(runner: Runner, seen: Promise<WatchdogView>, say: (message: string) => void): Approver {
  let done = false;
  return async (req) => {
    const answer = await runner.exec.approver(req);
    if (answer.approved === true && !done) {
      done = true;
      await disarmLeftover(runner, say, seen);
    }
    return answer;
  };
}
