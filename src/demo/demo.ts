// The bundled example, the whole loop: an OpenClaw upgrade (2026.6.10 -> 2026.6.11, flake F3)
// planned against a local host that the demo creates first by deploying the current version (F1)
// to it; then applied, smoke-tested, rollback-drilled and shown in the history. Everything lives
// under one directory; no API key, no network, no server of the user's.
//
// With `real`, the same loop runs on the real OpenClaw 2026.9.6 (installed into its cache by
// .ci/setup-real-openclaw.sh when missing): the host runs the real gateway, its Telegram channel
// talks to a fake Bot API on loopback, and the change allows a second Telegram user (F7).
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createOpenclawRepo, materializeFlake, NIX_ENV, setFixturesRoot, writeSecretFiles } from './fixtures.js';
import { seedLocal } from './seed.js';
import { analyseHost } from '../core/pipeline/planHost.js';
import { openRecords } from '../core/records/index.js';
import { openAuditLog } from '../core/exec/audit.js';
import { ledgerFor } from '../core/deploy/recordsLedger.js';
import { applyPlan, type DeployEvent } from '../core/deploy/apply.js';
import { smokeHost } from '../core/deploy/smoke.js';
import { drillHost } from '../core/deploy/drill.js';
import type { Redactor } from '../core/redact/index.js';
import { runbookJson, runbookMarkdown } from '../core/plan/runbook.js';
import type { Plan } from '../core/plan/schema.js';
import { UserError } from '../core/errors.js';
import { findRealOpenclaw, type RealOpenclaw } from './realOpenclaw.js';
import { startTelegramFake, type TelegramFake } from './telegramFake.js';
import { SECRET_FILES } from './fixtures.js';
import { PACKAGE_ROOT } from '../core/paths.js';
import { spawnSync } from 'node:child_process';

export interface DemoResult {
  dir: string;
  flakeDir: string;
  runbookPath: string;
  plan: Plan;
  markdown: string;
  /** The deploy succeeded, the smoke test passed and the rollback drill passed. */
  ok: boolean;
}

export interface DemoOptions {
  dir?: string;
  redact: (s: string) => string;
  redactor: Redactor;
  /** Headings of the demo's steps. */
  log: (line: string) => void;
  /** What each step shows. */
  print: (text: string) => void;
  onEvent?: (e: DeployEvent) => void;
  /** Run the loop on the real OpenClaw gateway. */
  real?: boolean;
}

/** The real OpenClaw, installed by the setup script when it is not there yet (~700 MB, ~1 min). */
function ensureRealOpenclaw(log: (line: string) => void): RealOpenclaw {
  const found = findRealOpenclaw();
  if (found) return found;
  log('0. installing the real OpenClaw 2026.9.6 and Node 24 from the npm registry (once; kept in a cache)');
  const r = spawnSync('bash', [join(PACKAGE_ROOT, '.ci', 'setup-real-openclaw.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
  const installed = r.status === 0 ? findRealOpenclaw() : null;
  if (!installed) throw new UserError('demo --real: could not install the real OpenClaw (bash .ci/setup-real-openclaw.sh failed; see above)');
  return installed;
}

/**
 * Stops the demo host's gateway (its pidfile is in the demo's HOME) and waits until it is gone, so
 * nothing still writes into the demo's directory once the demo has ended. The gateway runs in a
 * session of its own (setsid): what it started goes with it.
 */
export async function stopDemoGateway(home: string): Promise<void> {
  let pid: number;
  try {
    pid = Number(readFileSync(join(home, '.openclaw', 'gateway.pid'), 'utf8').trim());
  } catch {
    return; // not running: nothing to stop
  }
  if (!(pid > 0)) return;
  const signal = (sig: NodeJS.Signals) => {
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, sig);
      } catch {
        // already gone
      }
    }
  };
  const alive = () => {
    try {
      return !/^State:\s*Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
    } catch {
      return false;
    }
  };
  signal('SIGTERM');
  // The real gateway drains before it exits; the demo has no sessions to drain: 15 s, then SIGKILL.
  const end = Date.now() + 15_000;
  while (alive() && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
  signal('SIGKILL');
}

export async function runDemo(opts: DemoOptions): Promise<DemoResult> {
  const dir = resolve(opts.dir ?? mkdtempSync(join(tmpdir(), 'clawdeploy-demo-')));
  // The demo's own Nix settings (offline, flakes on) for every nix it runs, this process's
  // included; the machine's nix.conf stays as it is.
  process.env['NIX_CONFIG'] = [process.env['NIX_CONFIG'], NIX_ENV['NIX_CONFIG']].filter(Boolean).join('\n');
  setFixturesRoot(dir);
  const home = join(dir, 'home');
  const secrets = join(dir, 'secrets');
  mkdirSync(home, { recursive: true });

  const real = opts.real ? ensureRealOpenclaw(opts.log) : null;
  let telegram: TelegramFake | null = null;
  const profile = join(dir, 'profiles', 'home-manager');
  mkdirSync(join(dir, 'profiles'), { recursive: true });
  let flake: Awaited<ReturnType<typeof materializeFlake>>;
  if (real) {
    opts.log(`1. a nix-openclaw whose release v2026.9.6 packages the real OpenClaw (${real.dir}); a fake Telegram Bot API on loopback (${dir})`);
    const repo = await createOpenclawRepo({ extraVersions: [{ version: '2026.9.6', real: { node: real.node, entry: real.entry } }] });
    writeSecretFiles(secrets, ['openclaw-gateway-token', 'telegram-staging']);
    telegram = await startTelegramFake([SECRET_FILES['telegram-staging']!.trim()]);
    flake = await materializeFlake('f7-allow-user', { openclawRepo: repo.path, vars: { SECRETS_DIR: secrets, PROFILE_staging: profile, TELEGRAM_API_ROOT: telegram.apiRoot } });
    opts.log('2. the local host "staging": deploy the real OpenClaw 2026.9.6 with its Telegram channel (the flake at HEAD) to it');
  } else {
    opts.log(`1. a stand-in nix-openclaw with releases v2026.6.10 and v2026.6.11 (${dir})`);
    const repo = await createOpenclawRepo();
    writeSecretFiles(secrets, ['openclaw-gateway-token', 'anthropic', 'telegram-staging']);
    flake = await materializeFlake('f3-bump-openclaw', { openclawRepo: repo.path, vars: { SECRETS_DIR: secrets, PROFILE_staging: profile } });
    opts.log('2. the local host "staging": deploy OpenClaw 2026.6.10 (the flake at HEAD) to it');
  }
  try {
    await seedLocal({ flakeDir: flake.dir, rev: flake.baseRev, attribute: 'homeConfigurations.staging.activationPackage', profile, env: { HOME: home } });
  } catch (e) {
    await stopDemoGateway(home);
    await telegram?.stop();
    throw new UserError(`demo: could not create the local host: ${(e as Error).message.split('\n')[0]}`);
  }

  opts.log(
    real
      ? '3. the change: a second Telegram user allowed in channels.telegram.allowFrom (uncommitted, as you would have it before a deploy)'
      : '3. the change: flake.lock bumps nix-openclaw to v2026.6.11 (uncommitted, as you would have it before a deploy)',
  );
  opts.log('4. clawdeploy plan staging (read-only): the runbook for review');
  // The local host is the demo's HOME, never the user's own ~/.openclaw; its records stay in the demo dir.
  const userHome = process.env['HOME'];
  process.env['HOME'] = home;
  const records = openRecords(join(dir, 'state', 'records.db'), { redact: opts.redact });
  const ledger = ledgerFor(records);
  const deps = {
    ledger,
    drills: ledger,
    audit: openAuditLog(join(dir, 'state', 'audit.jsonl')),
    redactor: opts.redactor,
    // A staging host, pre-approved as `--yes` would: the demo has nobody to ask.
    approver: async () => ({ approved: true, approver: 'demo (--yes, staging)' }),
    onEvent: opts.onEvent,
  };
  try {
    const { plan, host } = await analyseHost({ flakeDir: flake.dir, hostName: 'staging', redact: opts.redact });
    const markdown = opts.redact(runbookMarkdown(plan, flake.dir));
    const runbookPath = join(dir, 'runbook.md');
    writeFileSync(runbookPath, markdown);
    writeFileSync(join(dir, 'runbook.json'), opts.redact(runbookJson(plan, flake.dir)));
    opts.print(markdown);
    if (!host || plan.status !== 'ready') throw new UserError(`demo: the plan is ${plan.status}, not ready`);

    opts.log('5. clawdeploy apply staging --yes: apply, validate the gateway and its channel, record');
    const applied = await applyPlan({ plan, host, flakeDir: flake.dir, approvedBy: 'demo (--yes)' }, deps);
    opts.print(applied.message);

    opts.log('6. clawdeploy smoke staging');
    const smoke = await smokeHost(host, flake.dir, { ...deps, onEvent: undefined });
    opts.print(smoke.checks.map((c) => `  ${c.result.ok ? 'ok  ' : 'FAIL'} ${c.check}: ${c.result.summary}`).join('\n'));

    opts.log('7. clawdeploy drill staging: roll back to generation 1, verify, roll forward, verify');
    const drill = await drillHost({ host, flakeDir: flake.dir, knownGood: records.knownGood('staging') }, deps);
    opts.print(drill.message);

    opts.log('8. clawdeploy history');
    const history = records.history('staging');
    opts.print(
      history
        .map((d) => `  ${d.startedAt.slice(11, 19)}  ${d.operation.padEnd(8)} ${d.outcome.padEnd(10)} generation ${d.generationBefore?.number ?? '-'} -> ${d.generationAfter?.number ?? '-'}`)
        .join('\n'),
    );
    const ok = applied.outcome === 'succeeded' && smoke.ok && drill.outcome === 'passed';
    return { dir, flakeDir: flake.dir, runbookPath, plan, markdown, ok };
  } finally {
    records.close();
    if (userHome === undefined) delete process.env['HOME'];
    else process.env['HOME'] = userHome;
    await stopDemoGateway(home);
    await telegram?.stop();
  }
}
