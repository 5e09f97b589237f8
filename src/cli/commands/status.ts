import { resolve } from 'node:path';
import { loadInventory } from '../../core/inventory/load.js';
import { openRecords, type Rollout } from '../../core/records/index.js';
import { preflight } from '../../core/preflight/preflight.js';
import { transportForHost, assertReachable } from '../../core/transport/index.js';
import { assertFlakeDir } from '../../core/pipeline/flakeFiles.js';
import { UserError } from '../../core/errors.js';
import { out } from '../output.js';
import { readRecordAt, readWatchdog, transportReader, watchdogReport, type WatchdogReport } from '../../core/deploy/watchdog.js';

export async function statusCommand(hostName: string | undefined, opts: { flake: string; json?: boolean; sshConfig?: string }): Promise<void> {
  const flakeDir = resolve(opts.flake);
  assertFlakeDir(flakeDir);
  const inv = await loadInventory(flakeDir);
  const hosts = hostName ? inv.hosts.filter((h) => h.name === hostName) : inv.hosts;
  if (hostName && !hosts.length) throw new UserError(`host '${hostName}' is not in the inventory of ${flakeDir} (hosts: ${inv.hosts.map((h) => h.name).join(', ') || 'none'})`);
  const records = openRecords(undefined, { access: 'read' });
  const report = [];
  try {
    const scan = records.findInterrupted(hostName);
    for (const h of hosts) {
      const t = transportForHost(h, { sshConfig: opts.sshConfig });
      let state: Awaited<ReturnType<typeof preflight>> | null = null;
      let reach: string | null = null;
      let watchdog: WatchdogReport | null = null;
      try {
        await assertReachable(t, h.name);
        // An armed watchdog, or a revert one did that no record on the host accounts for yet.
        const read = transportReader(t, h);
        const [s, view, recordAt] = await Promise.all([preflight(h, t), readWatchdog(read, h), readRecordAt(read, h)]);
        state = s;
        watchdog = watchdogReport(view, recordAt, h.name);
      } catch (e) {
        reach = e instanceof Error ? e.message : String(e);
      } finally {
        await t.close();
      }
      const last = records.history(h.name, 20);
      // A deploy that was interrupted and then superseded by one that finished (a rollback, a
      // new apply) is history, not the host's state.
      const settledAt = last.find((d) => d.outcome === 'succeeded' || d.outcome === 'rolled-back' || d.outcome === 'applied-for-next-boot')?.startedAt ?? '';
      const open = (d: { startedAt: string }) => d.startedAt > settledAt;
      report.push({
        host: h.name,
        environment: h.environment,
        reachable: reach === null,
        error: reach,
        current: state?.current ?? null,
        gateway: state?.gateway ?? null,
        drift: state?.findings.filter((f) => f.code.startsWith('drift')) ?? [],
        halfSwitched: state?.findings.find((f) => f.code === 'half-switched') ?? null,
        watchdog,
        lastDeploy: last.find((d) => d.operation === 'apply') ?? null,
        lastDrill: records.lastDrill(h.name),
        interrupted: [...scan.interrupted.filter((d) => d.host === h.name), ...last.filter((d) => d.outcome === 'interrupted').slice(0, 1)].filter(open).slice(0, 1),
        inProgress: scan.inProgress.filter((d) => d.host === h.name),
        rollout: unfinishedRollout(records.lastRolloutOf(h.name), h.name),
      });
    }
  } finally {
    records.close();
  }
  if (opts.json) {
    out(JSON.stringify(report, null, 2));
    return;
  }
  for (const r of report) {
    out(`${r.host} (${r.environment})`);
    if (!r.reachable) out(`  unreachable: ${r.error}`);
    out(`  generation: ${r.current ? `${r.current.number} ${r.current.storePath}` : 'none'}`);
    if (r.gateway) out(`  gateway: ${r.gateway.running ? `running ${r.gateway.version ?? ''}` : 'not answering'}`);
    // A blocked or refused deploy was never approved by anyone: no "by".
    out(`  last deploy: ${r.lastDeploy ? `${r.lastDeploy.outcome} at ${r.lastDeploy.startedAt}${r.lastDeploy.approver ? ` by ${r.lastDeploy.approver}` : ''}` : 'none recorded'}`);
    out(`  last drill: ${r.lastDrill ? `${r.lastDrill.outcome} at ${r.lastDrill.startedAt}` : 'none recorded'}`);
    for (const d of r.drift) out(`  DRIFT: ${d.message}`);
    if (r.halfSwitched) out(`  HALF-SWITCHED: ${r.halfSwitched.message}\n    way out: ${r.halfSwitched.fix}`);
    if (r.watchdog) out(`  WATCHDOG: ${r.watchdog.message}${r.watchdog.state === 'overdue' || r.watchdog.state === 'revert-failed' ? `; run: clawdeploy rollback ${r.host}` : ''}`);
    for (const d of r.inProgress) out(`  IN PROGRESS: deployment ${d.id.slice(0, 8)} (pid ${d.pid}) since ${d.startedAt}`);
    if (r.rollout) out(`  ROLLOUT ${r.rollout.id.slice(0, 8)} ${r.rollout.outcome} (this host: ${r.rollout.hostOutcome}): continue with clawdeploy apply --resume ${r.rollout.id.slice(0, 8)}`);
    for (const d of r.interrupted) {
      out(`  INTERRUPTED: deployment ${d.id.slice(0, 8)} (${d.operation}, started ${d.startedAt}) did not finish`);
      out(`    resume: clawdeploy apply ${r.host} --resume   or roll back: clawdeploy rollback ${r.host}`);
    }
  }
}

/** The host's newest rollout, when it did not finish (stopped or interrupted): what to resume. */
function unfinishedRollout(r: Rollout | null, host: string): { id: string; outcome: string; hostOutcome: string } | null {
  if (!r || r.outcome === 'succeeded') return null;
  return { id: r.id, outcome: r.outcome, hostOutcome: r.hosts.find((h) => h.host === host)?.outcome ?? 'pending' };
}
