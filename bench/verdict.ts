// How closely clawdeploy's verdict follows the real gateway's readiness: for each round the real
// OpenClaw 2026.9.6 is activated (a restart, as a deploy does) on a local host, and two things
// run side by side from the moment activation starts:
//   gateway     an independent poll of /readyz every 50 ms: the gateway's own time to 200;
//   clawdeploy  the deploy's validation (every check of the plan: /healthz, /readyz, gateway
//               status, health, the Telegram channel's probe), to its verdict.
// Target: the verdict comes at most 1.5 s after /readyz first answers 200 (median over rounds).
// Needs the real OpenClaw (bash .ci/setup-real-openclaw.sh). ROUNDS (default 5).
import { execa } from 'execa';
import http from 'node:http';
import { join } from 'node:path';
import { createOpenclawRepo, materializeFlake, writeSecretFiles, tempDir, NIX_ENV, cleanupFixtures, stopGateway, SECRET_FILES } from '../src/demo/fixtures.js';
import { seedLocal } from '../src/demo/seed.js';
import { findRealOpenclaw } from '../src/demo/realOpenclaw.js';
import { startTelegramFake } from '../src/demo/telegramFake.js';
import { loadHost } from '../src/core/inventory/load.js';
import { validationSteps } from '../src/core/plan/steps.js';
import { runValidation } from '../src/core/exec/validate.js';
import { openAuditLog } from '../src/core/exec/audit.js';
import { createLocalTransport } from '../src/core/transport/local.js';
import { createRedactor } from '../src/core/redact/index.js';
import type { ExecContext } from '../src/core/exec/types.js';

const HM = 'homeConfigurations.staging.activationPackage';
const rounds = Number(process.env['ROUNDS'] ?? 5);
const TARGET_MS = 1500;

/** Resolves with the time /readyz first answers 200, polling every 50 ms. */
function readyAt(port: number, deadline: number): Promise<number | null> {
  return new Promise((resolve) => {
    const poll = () => {
      if (performance.now() > deadline) return resolve(null);
      const req = http.get({ host: '127.0.0.1', port, path: '/readyz', timeout: 2000 }, (res) => {
        res.resume();
        const t = performance.now();
        if (res.statusCode === 200) resolve(t);
        else setTimeout(poll, 50);
      });
      req.on('timeout', () => req.destroy());
      req.on('error', () => setTimeout(poll, 50));
    };
    poll();
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const real = findRealOpenclaw();
if (!real) {
  console.log('verdict: the real OpenClaw is not installed (bash .ci/setup-real-openclaw.sh): FAIL');
  process.exit(1);
}
const telegram = await startTelegramFake([SECRET_FILES['telegram-staging']!.trim()]);
const home = tempDir('home');
try {
  const repo = (await createOpenclawRepo({ extraVersions: [{ version: '2026.9.6', real: { node: real.node, entry: real.entry } }] })).path;
  const flake = await materializeFlake('f7-real-telegram', { openclawRepo: repo, vars: { TELEGRAM_API_ROOT: telegram.apiRoot } });
  writeSecretFiles(flake.vars['SECRETS_DIR']!, ['openclaw-gateway-token', 'telegram-staging']);
  const profile = flake.vars['PROFILE_staging']!;
  const port = Number(flake.vars['GATEWAY_PORT_staging']);
  await seedLocal({ flakeDir: flake.dir, attribute: HM, profile, env: { HOME: home } });
  process.env['HOME'] = home; // the host's HOME: its ~/.openclaw is where the gateway keeps state
  const host = await loadHost(flake.dir, 'staging');
  const transport = createLocalTransport();
  const ctx: ExecContext = {
    host,
    environment: host.environment,
    transport,
    actionCtx: { host, storeUrl: null, flakeDir: flake.dir },
    approver: async () => ({ approved: false, approver: 'nobody' }),
    audit: openAuditLog(join(tempDir('audit'), 'audit.jsonl')),
    redactor: createRedactor(),
    deploymentId: null,
  };
  const steps = validationSteps(host, ctx.actionCtx);
  if ((await readyAt(port, performance.now() + 180_000)) === null) throw new Error('the first gateway never became ready');

  const rows: Array<{ ready: number; verdict: number }> = [];
  for (let i = 1; i <= rounds; i++) {
    const t0 = performance.now();
    await execa(join(profile, 'activate'), [], { env: { ...process.env, ...NIX_ENV, HOME: home } });
    // When each check first passed (for the breakdown printed below).
    const firstOk = new Map<number, number>();
    const onAttempt = (_n: number, results: Array<{ ok: boolean }>) => results.forEach((r, j) => r.ok && !firstOk.has(j) && firstOk.set(j, performance.now() - t0));
    const [ready, v] = await Promise.all([readyAt(port, t0 + 240_000), runValidation(steps, ctx, { startedAt: t0, deadlineMs: 240_000, onAttempt }).then((r) => ({ r, t: performance.now() }))]);
    if (ready === null || !v.r.ok) throw new Error(`round ${i}: ${ready === null ? '/readyz never answered 200' : `validation failed: ${v.r.failing?.check.summary}`}`);
    rows.push({ ready: ready - t0, verdict: v.t - t0 });
    console.log(`    first passed (s): ${steps.map((st, j) => `${st.action === 'http-check' ? String(st.args['path']) : st.action} ${((firstOk.get(j) ?? NaN) / 1000).toFixed(2)}`).join(', ')}`);
    console.log(
      `  round ${i}: /readyz 200 after ${(rows.at(-1)!.ready / 1000).toFixed(2)} s, verdict after ${(rows.at(-1)!.verdict / 1000).toFixed(2)} s: overhead ${((rows.at(-1)!.verdict - rows.at(-1)!.ready) / 1000).toFixed(2)} s`,
    );
  }
  const overheads = rows.map((r) => r.verdict - r.ready);
  console.log(`time from activation, real OpenClaw 2026.9.6 on a local host, ${rounds} rounds (s)`);
  console.log(`  gateway /readyz 200: median ${(median(rows.map((r) => r.ready)) / 1000).toFixed(2)}`);
  console.log(`  clawdeploy verdict:  median ${(median(rows.map((r) => r.verdict)) / 1000).toFixed(2)}`);
  const m = median(overheads);
  console.log(`verdict overhead median ${(m / 1000).toFixed(2)} s, max ${(Math.max(...overheads) / 1000).toFixed(2)} s (target <= ${TARGET_MS / 1000} s): ${m <= TARGET_MS ? 'PASS' : 'FAIL'}`);
} finally {
  await stopGateway(join(home, '.openclaw'));
  await telegram.stop();
  cleanupFixtures();
}
