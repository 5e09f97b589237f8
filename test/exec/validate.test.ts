// runValidation's schedule against a scripted host: a Transport that answers each command the
// way the real OpenClaw 2026.9.6 did (test/fixtures/openclaw-2026.9.6), on a timeline the test
// moves forward (`phase`). It proves the order of things without a 20-60 s real start: nothing
// but /healthz while the gateway is down, the verdict as soon as every check passes together,
// a blocked channel failing at once instead of at the deadline, and a deadline kept.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { startFakeGatewayRpc } from '../helpers/fakeGatewayRpc.js';
import { runValidation } from '../../src/core/exec/validate.js';
import type { CheckResult } from '../../src/core/exec/types.js';
import type { RunOptions, RunResult, Transport } from '../../src/core/transport/types.js';
import { validationSteps } from '../../src/core/plan/steps.js';
import { makeCtx, testHost } from './helpers.js';

const DIR = join(import.meta.dirname, '../fixtures/openclaw-2026.9.6');
const real = (name: string) => readFileSync(join(DIR, `${name}.json`), 'utf8');

type Phase = 'down' | 'starting' | 'ready' | 'blocked';

/** A host whose gateway is in `phase`; records every command it was asked to run. */
async function scriptedHost(start: Phase) {
  let phase = start;
  const asked: string[] = [];
  const answer = (argv: readonly string[]): Pick<RunResult, 'exitCode' | 'stdout'> => {
    const cmd = argv.join(' ');
    const url = argv.find((a) => a.startsWith('http://'));
    if (url) {
      if (phase === 'down') return { exitCode: 7, stdout: '\n000' };
      if (url.endsWith('/healthz')) return { exitCode: 0, stdout: '{"ok":true,"status":"live"}\n200' };
      if (phase === 'starting') return { exitCode: 0, stdout: '{"ready":false,"failing":["startup-sidecars"]}\n503' };
      if (phase === 'blocked') return { exitCode: 0, stdout: '{"ready":false,"failing":["telegram"]}\n503' };
      return { exitCode: 0, stdout: '{"ready":true,"failing":[]}\n200' };
    }
    return { exitCode: 127, stdout: `${cmd}: not found` };
  };
  // The gateway's RPC answers what the CLI printed (the CLI prints the RPC payload as is).
  const rpc = startFakeGatewayRpc((method) => {
    asked.push(method);
    if (method === 'status') return { payload: JSON.parse(real('callstatus_ok')) };
    if (method === 'health') return { payload: JSON.parse(real('g2ok_health')) };
    if (method === 'channels.status') return { payload: JSON.parse(real(phase === 'blocked' ? 'g2bad_channels_noport' : phase === 'ready' ? 'g2ok_channels_noport' : 'starting_channels')) };
    return { error: { code: 'INVALID_REQUEST', message: `unknown method: ${method}` } };
  });
  const transport: Transport = {
    describe: 'scripted',
    storeUrl: null,
    async run(argv: readonly string[], _o?: RunOptions): Promise<RunResult> {
      asked.push(argv.includes('curl') ? `curl ${argv.at(-1)!.replace(/^http:\/\/127\.0\.0\.1:\d+/, '')}` : argv.join(' '));
      await new Promise((r) => setTimeout(r, 5));
      return { ...answer(argv), stderr: '', durationMs: 5, timedOut: false };
    },
    // Nothing listens while the gateway is down: the RPC is refused as a real port refuses it.
    connect: (port) => (phase === 'down' ? net.connect({ host: '127.0.0.1', port: closedPort }) : fake.connect()),
    close: async () => undefined,
  };
  const fake = await rpc;
  stops.push(() => fake.stop());
  return { transport, asked, set: (p: Phase) => void (phase = p) };
}

const stops: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const s of stops) await s();
});
/** A loopback port nothing listens on (taken, then released). */
const closedPort = await new Promise<number>((resolve) => {
  const srv = net.createServer().listen(0, '127.0.0.1', () => {
    const p = (srv.address() as net.AddressInfo).port;
    srv.close(() => resolve(p));
  });
});

const host = testHost({
  channels: ['telegram'],
  healthChecks: {
    http: [
      { path: '/healthz', port: 18789 },
      { path: '/readyz', port: 18789 },
    ],
  },
});
const audit = { append: () => undefined };
const steps = validationSteps(host, { host, storeUrl: null, flakeDir: '/nonexistent' });

/** Resolves once `asked` has a command matching `re` (polling, bounded). */
async function until(asked: string[], re: RegExp, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!asked.some((a) => re.test(a))) {
    if (Date.now() > end) throw new Error(`never asked ${re}: ${asked.join(' | ')}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('runValidation on a scripted real gateway', () => {
  it('asks only /healthz while nothing listens, then runs every check, and passes as soon as all pass together', async () => {
    const h = await scriptedHost('down');
    const seen: CheckResult[][] = [];
    const run = runValidation(steps, makeCtx({ host, transport: h.transport, audit }), { periodMs: 50, deadlineMs: 20_000, onAttempt: (_n, r) => seen.push(r) });
    await until(h.asked, /healthz/);
    const end = Date.now() + 5000;
    while (h.asked.length < 4 && Date.now() < end) await new Promise((r) => setTimeout(r, 10)); // a few polls while down
    expect(h.asked.every((a) => a === 'curl /healthz')).toBe(true);
    h.set('starting');
    await until(h.asked, /^channels\.status$/);
    // While starting, readiness names what is not ready yet; the probe finds the channel starting.
    const end2 = Date.now() + 5000;
    const saw = (summary: string) => seen.flat().some((r) => r.summary === summary);
    while (!(saw('/readyz: 503, not ready: startup-sidecars') && saw('telegram: probe ok, still starting (readiness decides)')) && Date.now() < end2) await new Promise((r) => setTimeout(r, 10));
    expect(saw('/readyz: 503, not ready: startup-sidecars')).toBe(true);
    expect(seen.flat().some((r) => r.summary === 'telegram: probe ok, still starting (readiness decides)')).toBe(true);
    h.set('ready');
    const v = await run;
    expect(v.ok).toBe(true);
    expect(v.results.map((r) => r.ok)).toEqual(steps.map(() => true));
    // The probe that saw the channel starting is completed by /readyz 200: it is not run again.
    expect(v.results.at(-1)!.summary).toBe('every channel works: telegram (probe ok; up per /readyz)');
    expect(h.asked.filter((a) => a === 'channels.status').length).toBe(1);
  });

  it('a channel blocked after a 401 (readiness names it) fails at once with the cause, not at the deadline', async () => {
    const h = await scriptedHost('blocked');
    const t0 = performance.now();
    const v = await runValidation(steps, makeCtx({ host, transport: h.transport, audit }), { periodMs: 50, deadlineMs: 30_000 });
    expect(v.ok).toBe(false);
    expect(performance.now() - t0).toBeLessThan(10_000);
    const summaries = v.results.map((r) => r.summary).join('\n');
    expect(summaries).toMatch(/\/readyz: 503, not ready: telegram/);
    expect(summaries).toMatch(/telegram: Unauthorized \| Telegram ingress worker exited/);
  });

  it('keeps its deadline while the gateway never comes up, and says nothing listens', async () => {
    const h = await scriptedHost('down');
    const t0 = performance.now();
    const v = await runValidation(steps, makeCtx({ host, transport: h.transport, audit }), { periodMs: 50, deadlineMs: 800 });
    const took = performance.now() - t0;
    expect(v.ok).toBe(false);
    expect(took).toBeGreaterThanOrEqual(790);
    expect(took).toBeLessThan(3000);
    expect(v.failing?.check.summary).toMatch(/^no gateway listening on port 18789/);
    expect(h.asked.every((a) => a === 'curl /healthz')).toBe(true);
  });

  it('counts the deadline from activation: time already spent activating is not given again', async () => {
    const h = await scriptedHost('down');
    const t0 = performance.now();
    const v = await runValidation(steps, makeCtx({ host, transport: h.transport, audit }), { periodMs: 50, deadlineMs: 1000, startedAt: performance.now() - 900 });
    expect(v.ok).toBe(false);
    expect(performance.now() - t0).toBeLessThan(1500);
  });

  it('stops at once when its signal aborts (a lost link), even with a check hanging, without a verdict', async () => {
    const h = await scriptedHost('down');
    // Over a cut link a command hangs until ssh gives up: this one never answers.
    const hanging: Transport = { ...h.transport, run: (argv) => (h.asked.push(argv.join(' ')), new Promise<RunResult>(() => undefined)) };
    const ac = new AbortController();
    const t0 = performance.now();
    const run = runValidation(steps, makeCtx({ host, transport: hanging, audit }), { periodMs: 50, deadlineMs: 60_000, signal: ac.signal });
    await until(h.asked, /healthz/);
    ac.abort(new Error("host 'h': unreachable over ssh://h (connection lost)"));
    const v = await run;
    expect(performance.now() - t0).toBeLessThan(5_000);
    expect(v).toMatchObject({ ok: false, aborted: "host 'h': unreachable over ssh://h (connection lost)" });
    expect(v.failing).toBeUndefined();
    expect(v.results).toHaveLength(steps.length);
  });
});
