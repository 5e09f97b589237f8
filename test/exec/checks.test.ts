// The check parsers and runValidation against the real output of the stand-in gateway: F1
// deployed to local "hosts" (this machine, HOME in a temp dir), one healthy and one whose
// telegram token file is missing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeStep } from '../../src/core/exec/executor.js';
import { parseCheck } from '../../src/core/exec/checks.js';
import { runValidation } from '../../src/core/exec/validate.js';
import { openAuditLog, readAudit, type FileAuditLog } from '../../src/core/exec/audit.js';
import type { CheckResult, ExecContext } from '../../src/core/exec/types.js';
import type { Host } from '../../src/core/inventory/schema.js';
import { makeStep, validationSteps } from '../../src/core/plan/steps.js';
import { createLocalTransport } from '../../src/core/transport/local.js';
import { seedLocal } from '../../src/demo/seed.js';
import { cleanupFixtures, createOpenclawRepo, freePort, materializeFlake, stopGateway, tempDir, writeSecretFiles } from '../helpers/fixtures.js';
import { makeCtx, testHost } from './helpers.js';

const HM = 'homeConfigurations.staging.activationPackage';
const homes: string[] = [];
const auditDir = mkdtempSync(join(tmpdir(), 'clawdeploy-checks-'));
let audit: FileAuditLog;
let repo: string;

interface Deployed {
  host: Host;
  ctx: ExecContext;
}

/** F1 on a local host: built, made the profile's generation, activated (starts the gateway). */
async function deploy(secrets: string[]): Promise<Deployed> {
  const flake = await materializeFlake('f1-single-staging', { openclawRepo: repo });
  writeSecretFiles(flake.vars['SECRETS_DIR']!, secrets);
  const home = tempDir('home');
  homes.push(home);
  const profile = flake.vars['PROFILE_staging']!;
  const port = Number(flake.vars['GATEWAY_PORT_staging']);
  await seedLocal({ flakeDir: flake.dir, rev: flake.baseRev, attribute: HM, profile, env: { HOME: home } });
  const host = testHost({
    profile,
    // F1's gateway takes its token from OPENCLAW_GATEWAY_TOKEN, set from this secret file (as the inventory derives it).
    gateway: {
      port,
      unit: 'openclaw-gateway',
      manager: 'none',
      logPath: null,
      configPath: join(home, '.openclaw/openclaw.json'),
      token: { env: 'OPENCLAW_GATEWAY_TOKEN', files: [join(flake.vars['SECRETS_DIR']!, 'openclaw-gateway-token')], format: 'value' },
    },
    healthChecks: {
      http: [
        { path: '/healthz', port },
        { path: '/readyz', port },
      ],
    },
  });
  return { host, ctx: makeCtx({ host, transport: createLocalTransport(), audit, flakeDir: flake.dir }) };
}

let good: Deployed;
let bad: Deployed;
const wait = { periodMs: 100, deadlineMs: 15_000 };

beforeAll(async () => {
  audit = openAuditLog(join(auditDir, 'audit.jsonl'));
  repo = (await createOpenclawRepo()).path;
  [good, bad] = await Promise.all([deploy(['openclaw-gateway-token', 'anthropic', 'telegram-staging']), deploy(['openclaw-gateway-token', 'anthropic'])]);
  // Activation starts the gateway in the background: wait until it answers.
  for (const d of [good, bad]) {
    const up = await runValidation([makeStep('up', 'gateway-status', { port: d.host.gateway.port }, 'x', d.ctx.actionCtx)], d.ctx, wait);
    if (!up.ok) throw new Error(`gateway did not come up: ${up.failing?.check.summary}`);
  }
});
afterAll(async () => {
  for (const h of homes) await stopGateway(join(h, '.openclaw'));
  cleanupFixtures();
  rmSync(auditDir, { recursive: true, force: true });
});

const summaries = (rs: CheckResult[]) => rs.map((r) => r.summary);

describe('validation of a healthy F1 host', () => {
  it('every check passes on the first attempt, with what each one saw', async () => {
    const steps = validationSteps(good.host, good.ctx.actionCtx);
    const attempts: number[] = [];
    const before = readAudit(audit.path).length;
    const v = await runValidation(steps, good.ctx, { ...wait, onAttempt: (n) => attempts.push(n) });
    const port = good.host.gateway.port;
    expect(v.ok).toBe(true);
    expect(attempts.at(-1)).toBe(v.attempts);
    const [status, ...rest] = summaries(v.results);
    expect(status).toMatch(new RegExp(`^gateway 2026\\.6\\.10 answers RPC on port ${port} \\(pid \\d+\\)$`));
    expect(rest).toEqual(['gateway health ok', `GET /healthz on port ${port}: 200`, `GET /readyz on port ${port}: 200`, expect.stringMatching(/^every channel works: telegram/)]);
    expect(v.results.at(-1)!.items).toEqual([{ name: 'channel:telegram', ok: true, detail: expect.stringMatching(/works|up per \/readyz/) }]);
    // Every check ran through the tool layer, allowed by policy, and is in the audit log.
    const logged = readAudit(audit.path)
      .slice(before)
      .filter((e) => e.status === 'ok')
      .map((e) => `${e.action} ${e.decision}`);
    for (const step of steps) expect(logged).toContain(`${step.action} allow`);
  });

  it('health fails when a runtime plugin of the host is not loaded, although the command exits 0', async () => {
    const host = { ...good.host, runtimePlugins: ['discord'] };
    const ctx = { ...good.ctx, host, actionCtx: { ...good.ctx.actionCtx, host } };
    const o = await executeStep(makeStep('h', 'gateway-health', { port: host.gateway.port }, 'x', ctx.actionCtx), ctx);
    expect(o).toMatchObject({ status: 'failed', exitCode: 0, reason: 'gateway is up but runtime plugins are not loaded: discord' });
    expect(o.check?.items).toEqual([{ name: 'plugin:discord', ok: false, detail: 'not loaded' }]);
  });

  it('a channel the step lists that the gateway does not report is a failure', async () => {
    const o = await executeStep(makeStep('p', 'channels-probe', { port: good.host.gateway.port, channels: ['telegram', 'discord'] }, 'x', good.ctx.actionCtx), good.ctx);
    expect(o).toMatchObject({ status: 'failed', exitCode: 0, reason: 'discord: not reported by the gateway (is its plugin loaded?)' });
  });
});

describe('validation of a host whose telegram token file is missing', () => {
  it('the probe finds telegram blocked (the gateway is up and healthy), /readyz names it, and validation gives up at once', async () => {
    const steps = validationSteps(bad.host, bad.ctx.actionCtx);
    const seen: CheckResult[][] = [];
    const t0 = performance.now();
    const v = await runValidation(steps, bad.ctx, { periodMs: 300, deadlineMs: 1500, onAttempt: (_n, rs) => seen.push(rs) });
    const took = performance.now() - t0;
    expect(v.ok).toBe(false);
    expect(seen).toHaveLength(v.attempts);
    expect(took).toBeLessThan(1500 + 2_000);
    expect(v.results.map((r) => r.ok)).toEqual([true, true, true, false, false]);
    expect(v.failing?.step.action).toBe('http-check');
    expect(v.failing?.check.summary).toBe('/readyz: 503, not ready: telegram');
    const probe = v.results.at(-1)!;
    expect(probe.summary).toMatch(/^telegram: .*configured but unavailable \(credential file is unavailable\)/);
    expect(probe).toMatchObject({ ok: false, final: true, items: [{ name: 'channel:telegram', ok: false, detail: expect.stringMatching(/configured but unavailable/) }] });
  });
});

describe('validation when no gateway answers', () => {
  it("status and probe say so (the probe's config-only fallback is a failure), and runValidation stops at its deadline", async () => {
    const port = await freePort();
    const host = { ...good.host, gateway: { ...good.host.gateway, port }, healthChecks: { http: [] } };
    const ctx = { ...good.ctx, host, actionCtx: { ...good.ctx.actionCtx, host } };
    const steps = [makeStep('s', 'gateway-status', { port }, 'x', ctx.actionCtx), makeStep('p', 'channels-probe', { port, channels: ['telegram'] }, 'x', ctx.actionCtx)];
    const t0 = performance.now();
    const v = await runValidation(steps, ctx, { periodMs: 200, deadlineMs: 1000 });
    expect(performance.now() - t0).toBeLessThan(1000 + 2_000);
    expect(v.ok).toBe(false);
    expect(v.results[0]!.summary).toBe(`gateway does not answer RPC: Gateway not reachable at ws://127.0.0.1:${port} (ECONNREFUSED).`);
    // The real CLI waits out its --timeout before its config-only answer: within this deadline the run is cut.
    expect(v.results[1]!.ok).toBe(false);
    expect(v.results[1]!.summary).toMatch(/^channels not probed: gateway not reached|^channels probe: no JSON answer \(exit 124\)/);
    expect(v.failing?.step.id).toBe('s');
  });

  it('while /healthz does not answer, an attempt asks only /healthz (no CLI check starts), quickly again, and the failure names it', async () => {
    const port = await freePort();
    const host = {
      ...good.host,
      gateway: { ...good.host.gateway, port },
      healthChecks: {
        http: [
          { path: '/healthz', port },
          { path: '/readyz', port },
        ],
      },
    };
    const ctx = { ...good.ctx, host, actionCtx: { ...good.ctx.actionCtx, host } };
    const steps = validationSteps(host, ctx.actionCtx);
    const before = readAudit(audit.path).length;
    const v = await runValidation(steps, ctx, { periodMs: 2000, deadlineMs: 700 });
    expect(v.ok).toBe(false);
    // Quick attempts at first (50 ms apart), not one per period (which would be one in 700 ms).
    expect(v.attempts).toBeGreaterThanOrEqual(2);
    expect(v.failing?.step.args['path']).toBe('/healthz');
    expect(v.failing?.check.summary).toBe(`no gateway listening on port ${port} (GET /healthz on port ${port}: connection refused)`);
    const ran = readAudit(audit.path)
      .slice(before)
      .map((e) => [e.action, e.args['path']]);
    expect(ran).toEqual(Array.from({ length: v.attempts }, () => ['http-check', '/healthz']));
    expect(v.results.map((r) => (r.notRun ? r.summary : 'ran'))).toEqual([
      'not run: the gateway does not answer /healthz',
      'not run: the gateway does not answer /healthz',
      'ran',
      'not run: the gateway does not answer /healthz',
      'not run: the gateway does not answer /healthz',
    ]);
  });

  it('refuses an infinite deadline', async () => {
    await expect(runValidation([], good.ctx, { deadlineMs: Infinity })).rejects.toThrow(/finite/);
  });
});

describe('parsers on output they cannot read', () => {
  const input = (stdout: string, exitCode: number | null = 0, args: Record<string, unknown> = { port: 1, channels: ['telegram'], unit: 'openclaw-gateway', path: '/readyz' }) => ({
    stdout,
    stderr: exitCode ? 'boom\n' : '',
    exitCode,
    args,
    host: testHost(),
  });
  it.each([
    ['gateway-status', '', /^gateway status: no JSON answer \(exit 0\): no output$/],
    ['gateway-status', '{"ok":true}', /^gateway status: no JSON answer/],
    ['gateway-health', '[1,2]', /^gateway health: no JSON answer/],
    ['gateway-health', '{"ok":false,"error":"gateway not reachable"}', /^gateway health: gateway not reachable$/],
    ['channels-probe', 'not json', /^channels probe: no JSON answer/],
    ['channels-probe', '{"channels":{"telegram":{}}}', /^telegram: not probed: configured but unavailable$/],
    ['service-status', 'inactive\n', /^openclaw-gateway is inactive$/],
    ['service-status', '', /^openclaw-gateway is in an unknown state$/],
  ])('%s %j fails', (action, stdout, summary) => {
    const r = parseCheck(action, input(stdout));
    expect(r?.ok).toBe(false);
    expect(r?.summary).toMatch(summary);
  });
  it('service-status active passes; a non-check action has no parser', () => {
    expect(parseCheck('service-status', input('active\n'))).toEqual({ ok: true, summary: 'openclaw-gateway is active' });
    expect(parseCheck('read-host-file', input('x'))).toBeUndefined();
    expect(parseCheck('toString', input('x'))).toBeUndefined();
  });
});
