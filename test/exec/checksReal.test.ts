// The check parsers over what the real OpenClaw 2026.9.6 printed (test/fixtures/openclaw-2026.9.6):
// a working channel, a 401 while running, a 401 at start, a missing token file, an unreachable
// gateway, missing and wrong gateway tokens. Every verdict must say what a person needs to read.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCheck } from '../../src/core/exec/checks.js';
import { readChannelsStatus, readGatewayStatus, readReadiness, readVersion } from '../../src/core/openclaw/surface.js';
import { testHost } from '../helpers/testHost.js';

const DIR = join(import.meta.dirname, '../fixtures/openclaw-2026.9.6');
const captured = (name: string) => ({ stdout: readFileSync(join(DIR, `${name}.json`), 'utf8'), exitCode: Number(readFileSync(join(DIR, `${name}.rc`), 'utf8').trim()) });
const host = testHost({ channels: ['telegram'] });
const tokenHost = testHost({ gateway: { ...host.gateway, token: { env: 'OPENCLAW_GATEWAY_TOKEN', files: ['/run/agenix/openclaw-gateway-token'], format: 'value' } } });
const check = (action: string, name: string, args: Record<string, unknown> = { port: 18902, channels: ['telegram'] }, h = host) => {
  const c = captured(name);
  return parseCheck(action, { stdout: c.stdout, stderr: '', exitCode: c.exitCode, args, host: h })!;
};

describe('channels status --probe --json (real 2026.9.6)', () => {
  it('a channel works when its probe passed, its account is running and connected, and no status issue names it', () => {
    const r = check('channels-probe', 'g2ok_channels_noport');
    expect(r).toMatchObject({ ok: true, summary: 'every channel works: telegram' });
    expect(r.items).toEqual([{ name: 'channel:telegram', ok: true, detail: 'works' }]);
  });

  it('after a 401 while running the channel is stopped and blocked: it fails with the API error', () => {
    const r = check('channels-probe', 'g2bad_channels_noport');
    expect(r.ok).toBe(false);
    expect(r.summary).toMatch(/^telegram: .*Unauthorized/);
    // Blocked until a restart: waiting for the deadline cannot help.
    expect(r.final).toBe(true);
    expect(check('channels-probe', 'g2ok_channels_noport').final).toBeUndefined();
  });

  it('a probe that passes again does not make a blocked channel work (its status issue still names it)', () => {
    const r = check('channels-probe', 'sel_cfgport18903_envport');
    expect(readChannelsStatus(captured('sel_cfgport18903_envport').stdout)).toMatchObject({ probed: true });
    expect(r.ok).toBe(false);
    expect(r.summary).toMatch(/telegram: Unauthorized \| Telegram ingress worker exited/);
  });

  it('a 401 at start names the token problem as the gateway words it', () => {
    const r = check('channels-probe', 'g2401start_channels');
    expect(r.ok).toBe(false);
    expect(r.summary).toMatch(/telegram: Telegram bot token unauthorized .*getMe returned 401/);
  });

  it('a token file that does not exist gives no probe: configured but unavailable', () => {
    const r = check('channels-probe', 'g2tok_channels_noport');
    expect(r.ok).toBe(false);
    expect(r.summary).toMatch(/telegram: .*configured but unavailable \(credential file is unavailable\)/);
  });

  it('a config-only answer (gateway not reached) is "not probed", with the CLI\'s reason', () => {
    const r = check('channels-probe', 'unreach_channels_timeout5000');
    expect(r.ok).toBe(false);
    expect(r.summary).toBe('channels not probed: gateway not reached (Gateway not reachable after waiting 5 s.)');
    expect(r.items).toEqual([{ name: 'channel:telegram', ok: false, detail: 'not probed: gateway not reached (Gateway not reachable after waiting 5 s.)' }]);
  });

  it('a wrong gateway token is said to be one, with where the token comes from', () => {
    const r = check('channels-probe', 'auth_wrongtoken_channels', undefined, tokenHost);
    expect(r.ok).toBe(false);
    expect(r.summary).toMatch(/refused the CLI's token \(unauthorized: gateway token mismatch/);
    expect(r.summary).toMatch(/\/run\/agenix\/openclaw-gateway-token \(OPENCLAW_GATEWAY_TOKEN\)/);
  });

  it('a channel the gateway does not report fails (its plugin never loaded: nix-openclaw #84)', () => {
    const r = check('channels-probe', 'g2ok_channels_noport', { port: 18902, channels: ['telegram', 'discord'] });
    expect(r.ok).toBe(false);
    expect(r.summary).toBe('discord: not reported by the gateway (is its plugin loaded?)');
  });

  it('--port is refused by the real CLI: its JSON error is not a probe answer', () => {
    const r = check('channels-probe', 'g1_channels_port');
    expect(r.ok).toBe(false);
    expect(r.summary).toMatch(/no JSON answer|not probed/);
  });
});

describe('gateway health --json (real 2026.9.6)', () => {
  it('ok with the loaded plugins; it says nothing about channels (ok while telegram is dead)', () => {
    expect(check('gateway-health', 'g2ok_health', { port: 18902 })).toMatchObject({ ok: true, summary: 'gateway health ok' });
    expect(check('gateway-health', 'g2bad_health', { port: 18902 }).ok).toBe(true);
    const plugins = check('gateway-health', 'g2ok_health', { port: 18902 }, testHost({ runtimePlugins: ['telegram', 'discord'] }));
    expect(plugins).toMatchObject({ ok: false, summary: 'gateway is up but runtime plugins are not loaded: discord' });
  });

  it('an error object is read: unreachable, and credentials required', () => {
    expect(check('gateway-health', 'unreach_health', { port: 18903 }).summary).toBe('gateway health: Gateway not reachable at ws://127.0.0.1:18903 (ECONNREFUSED).');
    const auth = check('gateway-health', 'auth_notoken_health', { port: 18902 });
    expect(auth.ok).toBe(false);
    expect(auth.summary).toMatch(/no token\/password .*; the gateway wants a token/);
  });
});

describe('gateway call status --json (real 2026.9.6)', () => {
  it('the runtime version and pid of the gateway that answered', () => {
    expect(check('gateway-status', 'callstatus_ok', { port: 43523 })).toMatchObject({ ok: true, summary: 'gateway 2026.9.6 answers RPC on port 43523 (pid 21663)' });
  });
  it('ok:false with exit 0 when the CLI has no token: a failure that says so', () => {
    const r = check('gateway-status', 'callstatus_notoken', { port: 43523 }, tokenHost);
    expect(r.ok).toBe(false);
    expect(r.summary).toMatch(/refuses the CLI's credentials: gateway\.auth\.token is configured as a secret reference/);
  });
});

describe('gateway status --json (real 2026.9.6), read by the preflight', () => {
  it('has the server version, build and boot ids and the port listeners, not pid/program fields', () => {
    const s = readGatewayStatus(captured('g2ok_status').stdout)!;
    expect(s).toMatchObject({ rpcOk: true, serverVersion: '2026.9.6', buildId: '2026.9.6-release-eb377ac59e6c-2026-09-23T16-33-12.144Z', listeners: [{ pid: 8421, commandLine: 'openclaw-gateway' }] });
    expect(s.bootId).toMatch(/^[0-9a-f-]{36}$/);
  });
  it('unreachable and credentials-required say why in rpc.error', () => {
    expect(readGatewayStatus(captured('unreach_status').stdout)).toMatchObject({ rpcOk: false, error: 'Gateway not reachable at ws://127.0.0.1:18903 (ECONNREFUSED).', listeners: [] });
    expect(readGatewayStatus(captured('auth_notoken_status').stdout)).toMatchObject({ rpcOk: false, error: 'gateway status requires credentials before opening a websocket' });
  });
});

describe('/readyz and --version', () => {
  it('a 503 body names what is not ready; curl -w puts the status code last', () => {
    const body = '{"ready":false,"failing":["telegram"],"uptimeMs":1756}';
    expect(readReadiness(body)).toEqual({ ready: false, failing: ['telegram'] });
    const r = parseCheck('http-check', { stdout: `${body}\n503`, stderr: '', exitCode: 0, args: { port: 18902, path: '/readyz' }, host })!;
    expect(r).toMatchObject({ ok: false, summary: '/readyz: 503, not ready: telegram', items: [{ name: 'ready:telegram', ok: false, detail: 'failing' }] });
    expect(parseCheck('http-check', { stdout: '{"ready":true,"failing":[]}\n200', stderr: '', exitCode: 0, args: { port: 18902, path: '/readyz' }, host })).toMatchObject({ ok: true });
    expect(parseCheck('http-check', { stdout: '\n000', stderr: 'curl: (7) Failed to connect', exitCode: 7, args: { port: 18902, path: '/healthz' }, host })!.summary).toMatch(
      /^no gateway listening on port 18902/,
    );
  });
  it('openclaw --version: "OpenClaw 2026.9.6 (eb377ac)"', () => {
    expect(readVersion('OpenClaw 2026.9.6 (eb377ac)\n')).toEqual({ version: '2026.9.6', commit: 'eb377ac' });
  });
});
