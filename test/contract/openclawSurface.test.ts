// The contract between the stand-in (fixtures/nix-openclaw/nix/packages/openclaw.mjs) and the real
// OpenClaw 2026.9.6: the same configs, commands and assertions run against both, so the stand-in
// the other tests deploy cannot drift from what users run. What is asserted is what a deploy tool
// reads (docs/openclaw-surface-notes.md): argv, JSON shapes, auth, channel states, /healthz, /readyz.
//
// The real gateway takes 20-100 s to start and most of 2 cores: each tier starts three gateways
// (ok → 401 while running → token back; 401 at start; tokenFile missing), one at a time, and
// every wait is on a condition with a deadline.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayRpc, type RpcCall } from '../../src/core/openclaw/rpc.js';
import { freePort } from '../../src/demo/fixtures.js';
import { skipReal } from '../helpers/realOpenclaw.js';
import { startTelegramApi, type TelegramApi } from '../helpers/telegramApi.js';
import {
  httpRequest,
  jsonOf,
  openclawCli,
  realOpenclawImpl,
  standInOpenclaw,
  startGatewayProcess,
  stopAllGateways,
  waitFor,
  type CliResult,
  type GatewayProcess,
  type OpenclawImpl,
} from '../helpers/openclawProcess.js';

const GOOD_BOT = '123456789:AAcontractGoodBotToken';
const REVOKED_BOT = '987650001:AAcontractRevokedBotToken';
const GW_TOKEN = 'contract-gateway-token-0123456789abcdef0123';
const WRONG_TOKEN = 'contract-wrong-gateway-token-000000000000000';

// The options each command's real `--help` lists (2026.9.6).
const OPTIONS: Record<string, string[]> = {
  'gateway run': [
    '--allow-unconfigured',
    '--ambient-channels',
    '--auth',
    '--bind',
    '--claude-cli-logs',
    '--cli-backend-logs',
    '--compact',
    '--dev',
    '--dev-ambient-channels',
    '--force',
    '--password',
    '--password-file',
    '--port',
    '--raw-stream',
    '--raw-stream-path',
    '--reset',
    '--tailscale',
    '--token',
    '--verbose',
    '--ws-log',
  ],
  'gateway status': ['--deep', '--json', '--no-probe', '--password', '--port', '--require-rpc', '--timeout', '--token', '--url'],
  'gateway health': ['--expect-final', '--json', '--password', '--port', '--timeout', '--token', '--url'],
  'gateway call': ['--expect-final', '--expect-url', '--json', '--params', '--password', '--port', '--timeout', '--token', '--url'],
  'channels status': ['--channel', '--json', '--probe', '--timeout'],
};

const FIX = 'Fix: configure gateway.auth token/password, pair this device, or pass --token/--password.';
const credentialsRequired = (what: string, cfg: string) => `${what} requires credentials before opening a websocket\n${FIX}\nConfig: ${cfg}`;
/** At most two of these at once; the rest wait their turn (a freed slot goes straight to the next). */
let running = 0;
const waiting: Array<() => void> = [];
async function twoAtATime<T>(run: () => Promise<T>): Promise<T> {
  if (running < 2) running++;
  else await new Promise<void>((go) => waiting.push(go));
  try {
    return await run();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}
const now = <T>(run: () => Promise<T>): Promise<T> => run();

const MISMATCH_CLIENT = 'unauthorized: gateway token mismatch (provide gateway auth token)';
const MISMATCH_SERVER = "unauthorized: gateway token mismatch (use this gateway's gateway.auth.token or pair the device)";
const UNAVAILABLE = 'Secret owner account:telegram:default is configured but unavailable (credential file is unavailable).';
const BLOCKED_401 = 'Unauthorized | Telegram ingress worker exited with code 1';
const ISSUE_FIX = 'resolve the reported channel error, then restart the channel';
const notReachedAfter = (s: number) => `Gateway not reachable after waiting ${s} s.\nwaiting for managed service\nRun openclaw gateway status --deep to diagnose.`;

/** The gateway config every tier runs (as the user verified the real one starts with). */
function gatewayConfig(port: number, tokenFile: string, apiRoot: string, auth: Record<string, unknown> = { mode: 'token', token: GW_TOKEN }) {
  return { gateway: { mode: 'local', port, bind: 'loopback', auth }, channels: { telegram: { tokenFile, apiRoot, allowFrom: [12345678] } } };
}
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const objAt = (v: unknown, ...path: string[]): Record<string, unknown> => {
  const r = path.reduce<unknown>((o, k) => (isObj(o) ? o[k] : undefined), v);
  if (!isObj(r)) throw new Error(`no object at ${path.join('.')} in ${JSON.stringify(v)}`);
  return r;
};
/** channelAccounts.telegram[0] of a `channels status --json`. */
const account = (j: Record<string, unknown>): Record<string, unknown> => {
  const list = objAt(j, 'channelAccounts')['telegram'];
  if (!Array.isArray(list) || !isObj(list[0])) throw new Error(`no telegram account in ${JSON.stringify(j)}`);
  return list[0];
};

const TIERS = [
  { name: 'stand-in', real: false },
  { name: 'real', real: true },
] as const;

describe.each(TIERS)('the OpenClaw surface: $name', (tier) => {
  // Per test: a real CLI call takes 3-20 s, a real gateway start 20-100 s.
  const T = tier.real ? 240_000 : 30_000;

  describe.skipIf(tier.real && skipReal)(`${tier.name} against the same assertions`, () => {
    let impl: OpenclawImpl;
    let dir: string;
    let tg: TelegramApi;
    let cliHome: string;
    const cfgs: Record<string, string> = {};
    let unreachPort: number;
    let defaultWait: Promise<CliResult>;

    /**
     * The CLI with config `cfg` (a key of cfgs or a path) and extra env. The real one runs two at a
     * time: five starting at once on a loaded 2-core machine took over their 120 s each.
     */
    const cli = (args: string[], cfg: string, env: Record<string, string> = {}) =>
      (tier.real ? twoAtATime : now)(() =>
        openclawCli(impl, args, { HOME: cliHome, OPENCLAW_STATE_DIR: join(cliHome, 'state'), OPENCLAW_CONFIG_PATH: cfgs[cfg] ?? cfg, OPENCLAW_NIX_MODE: '1', ...env }),
      );
    const writeCfg = (name: string, config: unknown) => {
      cfgs[name] = join(dir, 'cli', `${name}.json`);
      writeFileSync(cfgs[name], JSON.stringify(config, null, 2));
    };

    beforeAll(async () => {
      impl = tier.real ? realOpenclawImpl() : standInOpenclaw();
      dir = mkdtempSync(join(tmpdir(), `clawdeploy-contract-${tier.name}-`));
      cliHome = join(dir, 'cli-home');
      mkdirSync(join(cliHome, 'state'), { recursive: true });
      mkdirSync(join(dir, 'cli'));
      tg = await startTelegramApi({ good: [GOOD_BOT] });
      unreachPort = await freePort();
      writeCfg('unreach', gatewayConfig(unreachPort, join(dir, 'none'), tg.apiRoot));
      // Started now, checked last: without --timeout the CLI waits 60 s for an unreachable gateway.
      defaultWait = openclawCli(
        impl,
        ['channels', 'status', '--probe', '--json'],
        { HOME: cliHome, OPENCLAW_STATE_DIR: join(cliHome, 'state'), OPENCLAW_CONFIG_PATH: cfgs['unreach']!, OPENCLAW_NIX_MODE: '1' },
        { timeoutMs: 180_000 },
      );
    }, T);
    afterAll(async () => {
      await stopAllGateways();
      await defaultWait?.catch(() => undefined);
      await tg?.stop();
      impl?.cleanup();
      if (dir) rmSync(dir, { recursive: true, force: true });
    }, 120_000);

    describe('without a gateway', () => {
      it(
        'prints its version as "OpenClaw <version> (<commit>)"; only the root takes --version',
        async () => {
          const [v, short, sub] = await Promise.all([cli(['--version'], 'unreach'), cli(['-V'], 'unreach'), cli(['gateway', '--version'], 'unreach')]);
          expect(v.code).toBe(0);
          expect(v.stdout.trim()).toMatch(new RegExp(`^OpenClaw ${impl.version.replace(/\./g, '\\.')} \\([0-9a-f]{7}\\)$`));
          expect(short.stdout).toBe(v.stdout);
          expect(sub.code).toBe(1);
          expect(sub.stderr).toContain('OpenClaw does not recognize option "--version".\nTry: openclaw gateway --help');
        },
        T,
      );

      it(
        'accepts exactly the options its --help lists',
        async () => {
          const paths = Object.keys(OPTIONS);
          const helps = await Promise.all(paths.map((p) => cli([...p.split(' '), '--help'], 'unreach')));
          helps.forEach((h, i) => {
            expect(h.code, h.stderr).toBe(0);
            const listed = [...h.stdout.matchAll(/^\s+(?:-\w, )?(--[a-z][a-z-]*)/gm)].map((m) => m[1]).filter((o) => o !== '--help');
            expect(listed.sort(), paths[i]).toEqual([...OPTIONS[paths[i]!]!].sort());
          });
        },
        T,
      );

      it(
        'refuses other options with the real message, exit 1, and a JSON error with --json',
        async () => {
          const [port, bogus, health, run, token] = await Promise.all([
            cli(['channels', 'status', '--probe', '--json', '--port', '18899'], 'unreach'),
            cli(['gateway', 'status', '--bogus'], 'unreach'),
            cli(['gateway', 'health', '--json', '--bogus'], 'unreach'),
            cli(['gateway', 'run', '--json'], 'unreach'),
            cli(['channels', 'status', '--json', '--token', GW_TOKEN], 'unreach'),
          ]);
          const refused = (opt: string, path: string) => `OpenClaw does not recognize option "${opt}".\nTry: openclaw ${path} --help`;
          for (const [r, opt, path] of [
            [port, '--port', 'channels status'],
            [health, '--bogus', 'gateway health'],
            [run, '--json', 'gateway run'],
            [token, '--token', 'channels status'],
          ] as const) {
            expect(r.code).toBe(1);
            expect(jsonOf(r)).toEqual({ ok: false, error: { type: 'cli_error', message: refused(opt, path) } });
            expect(r.stderr).toContain(refused(opt, path));
          }
          expect(bogus.code).toBe(1);
          expect(bogus.stdout).toBe('');
          expect(bogus.stderr).toContain(refused('--bogus', 'gateway status'));
        },
        T,
      );

      it(
        'refuses a missing or bad option value',
        async () => {
          const [missing, badPort, badTimeout] = await Promise.all([
            cli(['gateway', 'status', '--json', '--port'], 'unreach'),
            cli(['gateway', 'status', '--json', '--port', 'abc'], 'unreach'),
            cli(['channels', 'status', '--json', '--timeout', 'abc'], 'unreach'),
          ]);
          expect(missing.code).toBe(1);
          expect(jsonOf(missing)).toEqual({
            ok: false,
            error: { type: 'cli_error', message: "OpenClaw could not parse this command: option '--port <port>' argument missing\nTry: openclaw gateway status --help" },
          });
          expect(badPort.code).toBe(1);
          expect(jsonOf(badPort)).toEqual({ ok: false, error: { type: 'cli_error', message: '--port must be an integer between 1 and 65535.' } });
          expect(badPort.stderr).toContain('[openclaw] Reason: --port must be an integer between 1 and 65535.');
          expect(badTimeout.code).toBe(1);
          expect(jsonOf(badTimeout)).toEqual({ ok: false, error: { type: 'cli_error', message: 'Invalid --timeout. Use a positive millisecond value, e.g. --timeout 30000. Received: "abc".' } });
        },
        T,
      );

      it(
        'refuses to start a gateway without a local-mode config (exit 78)',
        async () => {
          writeCfg('nomode', { gateway: { bind: 'loopback' } });
          writeCfg('remote', { gateway: { mode: 'remote' } });
          const port = String(await freePort());
          // Each its own state dir: gateway starts sharing one contend for its lifecycle lock.
          const own = (name: string) => ({ OPENCLAW_STATE_DIR: join(dir, `state-${name}`) });
          const [missing, nomode, remote] = await Promise.all([
            cli(['gateway', '--port', port], join(dir, 'cli', 'absent.json'), own('missing')),
            cli(['gateway', '--port', port], 'nomode', own('nomode')),
            cli(['gateway', 'run', '--port', port], 'remote', own('remote')),
          ]);
          expect(missing.code).toBe(78);
          expect(missing.stderr).toContain('Missing config. Run `openclaw setup` or set gateway.mode=local (or pass --allow-unconfigured).');
          expect(nomode.code).toBe(78);
          expect(nomode.stderr).toContain('Gateway start blocked: existing config is missing gateway.mode.');
          expect(remote.code).toBe(78);
          expect(remote.stderr).toContain('Gateway start blocked: set gateway.mode=local (current: remote) or pass --allow-unconfigured.');
        },
        T,
      );

      it(
        'unreachable: status and health fail, channels falls back to the config after --timeout',
        async () => {
          const url = `ws://127.0.0.1:${unreachPort}`;
          const [status, health, channels] = await Promise.all([
            cli(['gateway', 'status', '--json', '--require-rpc'], 'unreach'),
            cli(['gateway', 'health', '--json'], 'unreach'),
            cli(['channels', 'status', '--probe', '--json', '--timeout', '2000'], 'unreach'),
          ]);
          expect(status.code).toBe(1);
          const s = jsonOf(status);
          expect(s).toMatchObject({
            gateway: { port: unreachPort, portSource: 'env/config', version: null },
            port: { port: unreachPort, status: 'free', listeners: [] },
            rpc: { ok: false, kind: 'read', connectFailure: { kind: 'unreachable' }, url },
          });
          expect(String(objAt(s, 'rpc')['error'])).toMatch(new RegExp(`^Gateway not reachable at ${url} \\(ECONNREFUSED\\)\\.\\n`));
          expect(objAt(s, 'config', 'cli')).toEqual({ path: cfgs['unreach'], exists: true, valid: true });

          expect(health.code).toBe(1);
          expect(jsonOf(health)).toEqual({
            ok: false,
            error: { type: 'gateway_transport_error', kind: 'closed', message: `Gateway not reachable at ${url} (ECONNREFUSED).`, reason: `connect ECONNREFUSED 127.0.0.1:${unreachPort}` },
            gateway: { url, urlSource: 'local loopback', bindDetail: 'Bind: loopback' },
          });

          expect(channels.code).toBe(0);
          expect(channels.ms).toBeGreaterThanOrEqual(2000);
          expect(jsonOf(channels)).toEqual({
            gatewayReachable: false,
            error: notReachedAfter(2),
            gatewayAuthUnavailable: false,
            configOnly: true,
            config: { path: cfgs['unreach'], mode: 'local' },
            configuredChannels: ['telegram'],
          });
        },
        T,
      );
    });

    describe('a gateway whose telegram channel works', () => {
      let gw: GatewayProcess;
      let readyzSeen: string[];
      beforeAll(async () => {
        const port = await freePort();
        const gdir = join(dir, 'gw-ok');
        mkdirSync(gdir);
        writeFileSync(join(gdir, 'telegram-token'), GOOD_BOT);
        const config = gatewayConfig(port, join(gdir, 'telegram-token'), tg.apiRoot);
        writeCfg('ok', config);
        writeCfg('notoken', gatewayConfig(port, join(gdir, 'telegram-token'), tg.apiRoot, { mode: 'token' }));
        writeCfg('wrongtoken', gatewayConfig(port, join(gdir, 'telegram-token'), tg.apiRoot, { mode: 'token', token: WRONG_TOKEN }));
        writeCfg('envref', gatewayConfig(port, join(gdir, 'telegram-token'), tg.apiRoot, { mode: 'token', token: { source: 'env', provider: 'default', id: 'CONTRACT_GW_TOKEN' } }));
        const tokenFile = join(dir, 'cli', 'gateway-token');
        writeFileSync(tokenFile, `${GW_TOKEN}\n`);
        chmodSync(tokenFile, 0o600);
        writeCfg('fileref', {
          ...gatewayConfig(port, join(gdir, 'telegram-token'), tg.apiRoot, { mode: 'token', token: { source: 'file', provider: 'gwfile', id: 'value' } }),
          secrets: { providers: { gwfile: { source: 'file', path: tokenFile, mode: 'singleValue' } } },
        });
        writeCfg('port1', gatewayConfig(1, join(gdir, 'telegram-token'), tg.apiRoot));
        gw = startGatewayProcess(impl, { dir: gdir, config, port });
        readyzSeen = [];
        await waitFor(
          '/readyz 200',
          async () => {
            if (gw.exited()) throw new Error(`the gateway exited:\n${gw.log()}`);
            const r = await httpRequest(port, '/readyz');
            const state = r.status === 0 ? 'down' : `${r.status} ${JSON.stringify(r.json?.['failing'] ?? null)}`;
            if (readyzSeen.at(-1) !== state) readyzSeen.push(state);
            return r.status === 200 ? true : null;
          },
          impl.startTimeoutMs,
        );
      }, T);

      it(
        'starts in the real order: HTTP up, readyz 503 startup-sidecars, channels, ready',
        async () => {
          expect(readyzSeen.at(-1)).toBe('200 []');
          for (const s of readyzSeen.slice(0, -1)) expect(['down', '503 ["startup-sidecars"]']).toContain(s);
          // Under load the real gateway can answer /readyz 200 before its log has the provider's
          // start line (the log is written asynchronously): wait for the line, then check the order.
          const log = await waitFor('the telegram provider start in the log', async () => (gw.log().includes('[telegram] [default] starting provider (') ? gw.log() : null), impl.startTimeoutMs);
          const order = ['[gateway] loading configuration…', '[gateway] http server listening (', '[gateway] starting channels and sidecars...'];
          const at = order.map((line) => log.indexOf(line));
          expect(
            at.every((i) => i >= 0),
            log,
          ).toBe(true);
          expect([...at].sort((a, b) => a - b)).toEqual(at);
          // The provider's start and "ready" both follow; under load the real logs them in either order.
          for (const line of ['[telegram] [default] starting provider (@fake_test_bot)', '[gateway] ready']) expect(log.indexOf(line), log).toBeGreaterThan(at.at(-1)!);
          if (impl.real === false) expect(log).toContain('running in Nix mode');
        },
        T,
      );

      it(
        'answers /healthz and /readyz with the real bodies',
        async () => {
          const [healthz, readyz, post] = await Promise.all([httpRequest(gw.port, '/healthz'), httpRequest(gw.port, '/readyz'), httpRequest(gw.port, '/healthz', 'POST')]);
          expect(healthz).toMatchObject({ status: 200, json: { ok: true, status: 'live' } });
          expect(readyz).toMatchObject({ status: 200, json: { ready: true, failing: [] } });
          expect(typeof readyz.json?.['uptimeMs']).toBe('number');
          expect(post.status).toBe(405);
        },
        T,
      );

      it(
        'gateway status: version, RPC identity and the listener of the port',
        async () => {
          const [status, withPort] = await Promise.all([
            cli(['gateway', 'status', '--json', '--require-rpc'], 'ok'),
            cli(['gateway', 'status', '--json', '--require-rpc', '--port', String(gw.port)], 'ok'),
          ]);
          expect(status.code, status.stderr).toBe(0);
          const s = jsonOf(status);
          expect(s).toMatchObject({
            gateway: { port: gw.port, portSource: 'env/config', version: impl.version, bindMode: 'loopback' },
            port: { port: gw.port, status: 'busy' },
            rpc: { ok: true, kind: 'read', version: impl.version, url: `ws://127.0.0.1:${gw.port}`, server: { version: impl.version } },
            config: { cli: { path: cfgs['ok'], exists: true, valid: true } },
          });
          expect(objAt(s, 'rpc', 'server')['bootId']).toEqual(expect.any(String));
          expect(objAt(s, 'rpc', 'server')['buildId']).toEqual(expect.stringContaining(impl.version));
          expect(objAt(s, 'port')['listeners']).toEqual([expect.objectContaining({ pid: gw.pid, command: 'openclaw-gatewa', commandLine: 'openclaw-gateway', address: `127.0.0.1:${gw.port}` })]);
          expect(s).not.toHaveProperty('gateway.pid');
          expect(withPort.code).toBe(0);
          expect(objAt(jsonOf(withPort), 'gateway')['portSource']).toBe('cli');
        },
        T,
      );

      it(
        'gateway health and gateway call status',
        async () => {
          const [health, call] = await Promise.all([cli(['gateway', 'health', '--json'], 'ok'), cli(['gateway', 'call', 'status', '--json', '--timeout', '10000'], 'ok')]);
          expect(health.code, health.stderr).toBe(0);
          const h = jsonOf(health);
          expect(h).toMatchObject({
            ok: true,
            plugins: { errors: [], unavailable: [] },
            channels: { telegram: { lifecycle: 'ready', running: true, connected: true, lastError: null, tokenSource: 'tokenFile', lastProbeAt: null, accounts: { default: { lifecycle: 'ready' } } } },
          });
          expect(h).not.toHaveProperty('version');
          expect(h).not.toHaveProperty('error');
          expect(objAt(h, 'plugins')['loaded']).toEqual(expect.arrayContaining(['telegram']));
          expect(call.code, call.stderr).toBe(0);
          expect(jsonOf(call)).toMatchObject({ runtimeVersion: impl.version, pid: gw.pid });
        },
        T,
      );

      it(
        "the WebSocket RPC clawdeploy's checks speak: hello, the same payloads as the CLI, auth refusals",
        async () => {
          const rpc = (token: string | null, calls: RpcCall[]) =>
            gatewayRpc(calls, { port: gw.port, token, connect: () => net.connect(gw.port, '127.0.0.1'), timeoutMs: impl.cliTimeoutMs, clientVersion: '0.0.0-contract' });
          const ok = await rpc(GW_TOKEN, [{ method: 'status' }, { method: 'health' }, { method: 'channels.status', params: { probe: true, timeoutMs: 10_000 } }, { method: 'no.such.method' }]);
          expect(ok.hello).toMatchObject({ type: 'hello-ok', protocol: 4, server: { version: impl.version, buildId: expect.stringContaining(impl.version), bootId: expect.any(String) } });
          const [status, health, channels, unknown] = ok.answers;
          expect(status).toMatchObject({ ok: true, payload: { runtimeVersion: impl.version, pid: gw.pid } });
          expect(health).toMatchObject({ ok: true, payload: { ok: true, channels: { telegram: { running: true } } } });
          expect(channels).toMatchObject({
            ok: true,
            payload: { channels: { telegram: { running: true, probe: { ok: true } } }, channelAccounts: { telegram: [{ lifecycle: 'ready', running: true, connected: true }] }, statusIssues: [] },
          });
          // A method outside the read scope is refused by scope before it is looked up.
          expect(unknown).toEqual({
            ok: false,
            error: {
              stage: 'call',
              code: 'FORBIDDEN',
              message: 'missing scope: operator.admin',
              details: { code: 'MISSING_SCOPE', missingScope: 'operator.admin', requiredScopes: ['operator.admin'] },
            },
          });
          // What the CLI prints is the payload itself: one parser reads both.
          const cliProbe = jsonOf(await cli(['channels', 'status', '--probe', '--json'], 'ok'));
          expect(Object.keys(channels?.ok ? (channels.payload as object) : {}).sort()).toEqual(Object.keys(cliProbe).sort());
          const [wrong, none] = await Promise.all([rpc(WRONG_TOKEN, [{ method: 'status' }]), rpc(null, [{ method: 'status' }])]);
          expect(wrong.hello).toBeNull();
          expect(wrong.answers[0]).toEqual({
            ok: false,
            error: {
              stage: 'handshake',
              code: 'INVALID_REQUEST',
              message: MISMATCH_CLIENT,
              details: { code: 'AUTH_TOKEN_MISMATCH', authReason: 'token_mismatch', canRetryWithDeviceToken: false, recommendedNextStep: 'update_auth_credentials' },
            },
          });
          expect(none.answers[0]).toEqual({ ok: false, error: { stage: 'handshake', code: 'NOT_PAIRED', message: 'device identity required', details: { code: 'DEVICE_IDENTITY_REQUIRED' } } });
        },
        T,
      );

      it(
        'channels status: --probe gives the probe, without it there is none',
        async () => {
          const [probed, plain] = await Promise.all([cli(['channels', 'status', '--probe', '--json'], 'ok'), cli(['channels', 'status', '--json'], 'ok')]);
          expect(probed.code, probed.stderr).toBe(0);
          const p = jsonOf(probed);
          expect(p).toMatchObject({
            channelOrder: ['telegram'],
            channels: {
              telegram: {
                configured: true,
                running: true,
                lastError: null,
                tokenSource: 'tokenFile',
                mode: 'polling',
                probe: { ok: true, status: null, error: null, botInfo: { username: 'fake_test_bot' }, bot: { username: 'fake_test_bot' } },
              },
            },
            channelDefaultAccountId: { telegram: 'default' },
            statusIssues: [],
          });
          expect(objAt(p, 'channels', 'telegram')['lastProbeAt']).toEqual(expect.any(Number));
          expect(account(p)).toMatchObject({ accountId: 'default', lifecycle: 'ready', running: true, connected: true, lastError: null, probe: { ok: true } });
          expect(p).not.toHaveProperty('gatewayReachable');

          const n = jsonOf(plain);
          expect(objAt(n, 'channels', 'telegram')).toMatchObject({ running: true, lastProbeAt: null });
          expect(objAt(n, 'channels', 'telegram')).not.toHaveProperty('probe');
          expect(account(n)).not.toHaveProperty('probe');
        },
        T,
      );

      it(
        'auth: without a token the CLI refuses before connecting',
        async () => {
          const [status, health, channels] = await Promise.all([
            cli(['gateway', 'status', '--json', '--require-rpc'], 'notoken'),
            cli(['gateway', 'health', '--json'], 'notoken'),
            cli(['channels', 'status', '--probe', '--json'], 'notoken'),
          ]);
          expect(status.code).toBe(1);
          expect(jsonOf(status)).toMatchObject({
            gateway: { version: null },
            port: { status: 'busy', listeners: [expect.objectContaining({ pid: gw.pid })] },
            rpc: { ok: false, kind: 'read', connectFailure: { kind: 'unreachable' }, error: credentialsRequired('gateway status', cfgs['notoken']!) },
          });
          expect(health.code).toBe(1);
          expect(jsonOf(health)).toEqual({
            ok: false,
            error: { type: 'gateway_credentials_required', message: 'Gateway is reachable, but this CLI has no token/password or paired device token for read-scope health RPCs.' },
            gateway: { reachable: true },
          });
          expect(channels.code).toBe(0);
          expect(jsonOf(channels)).toEqual({
            gatewayReachable: false,
            error: credentialsRequired('gateway channels.status', cfgs['notoken']!),
            gatewayAuthUnavailable: true,
            configOnly: true,
            config: { path: cfgs['notoken'], mode: 'local' },
            configuredChannels: ['telegram'],
          });
        },
        T,
      );

      it(
        'auth: a wrong token is rejected',
        async () => {
          const [status, health, channels] = await Promise.all([
            cli(['gateway', 'status', '--json', '--require-rpc'], 'wrongtoken'),
            cli(['gateway', 'health', '--json'], 'wrongtoken'),
            cli(['channels', 'status', '--probe', '--json'], 'wrongtoken'),
          ]);
          expect(status.code).toBe(1);
          expect(objAt(jsonOf(status), 'rpc')).toEqual({
            ok: false,
            kind: 'read',
            gatewayReached: true,
            connectFailure: { kind: 'auth-rejected', detailCode: 'AUTH_TOKEN_MISMATCH' },
            error: MISMATCH_CLIENT,
            url: `ws://127.0.0.1:${gw.port}`,
          });
          expect(health.code).toBe(1);
          expect(jsonOf(health)).toEqual({
            ok: false,
            error: {
              type: 'gateway_request_error',
              code: 'INVALID_REQUEST',
              message: MISMATCH_SERVER,
              details: { code: 'AUTH_TOKEN_MISMATCH', authReason: 'token_mismatch', canRetryWithDeviceToken: false, recommendedNextStep: 'update_auth_credentials' },
              retryable: false,
            },
          });
          expect(health.stderr).toContain(`gateway connect failed: GatewayClientRequestError: ${MISMATCH_SERVER}`);
          expect(channels.code).toBe(0);
          expect(jsonOf(channels)).toEqual({
            gatewayReachable: false,
            error: MISMATCH_CLIENT,
            gatewayAuthUnavailable: false,
            configOnly: true,
            config: { path: cfgs['wrongtoken'], mode: 'local' },
            configuredChannels: ['telegram'],
          });
        },
        T,
      );

      it(
        'auth: OPENCLAW_GATEWAY_TOKEN when the config has none, --token over the config, the config over the env',
        async () => {
          const [envToken, envLoses, flag, statusFlag] = await Promise.all([
            cli(['gateway', 'health', '--json'], 'notoken', { OPENCLAW_GATEWAY_TOKEN: GW_TOKEN }),
            cli(['gateway', 'health', '--json'], 'wrongtoken', { OPENCLAW_GATEWAY_TOKEN: GW_TOKEN }),
            cli(['gateway', 'health', '--json', '--token', GW_TOKEN], 'wrongtoken'),
            cli(['gateway', 'status', '--json', '--require-rpc', '--token', GW_TOKEN], 'wrongtoken'),
          ]);
          expect(envToken.code, envToken.stdout).toBe(0);
          expect(jsonOf(envToken)['ok']).toBe(true);
          expect(envLoses.code).toBe(1);
          expect(objAt(jsonOf(envLoses), 'error')['message']).toBe(MISMATCH_SERVER);
          expect(flag.code, flag.stdout).toBe(0);
          expect(statusFlag.code, statusFlag.stdout).toBe(0);
          expect(objAt(jsonOf(statusFlag), 'gateway')['version']).toBe(impl.version);
        },
        T,
      );

      it(
        'auth: the config token as an env or file SecretRef',
        async () => {
          const [envSet, envUnset, fileRef] = await Promise.all([
            cli(['gateway', 'health', '--json'], 'envref', { CONTRACT_GW_TOKEN: GW_TOKEN }),
            cli(['gateway', 'health', '--json'], 'envref', { OPENCLAW_GATEWAY_TOKEN: GW_TOKEN }),
            cli(['gateway', 'health', '--json'], 'fileref'),
          ]);
          expect(envSet.code, envSet.stdout).toBe(0);
          // An explicit SecretRef that does not resolve does not fall through to the env token.
          expect(envUnset.code).toBe(1);
          expect(objAt(jsonOf(envUnset), 'error')['type']).toBe('gateway_credentials_required');
          expect(fileRef.code, fileRef.stdout).toBe(0);
        },
        T,
      );

      it(
        'gateway selection: OPENCLAW_GATEWAY_PORT over the config port, OPENCLAW_GATEWAY_URL needs its own token',
        async () => {
          const url = `ws://127.0.0.1:${gw.port}`;
          const [cfgPort, envPort, envPortHealth, envUrl, envUrlNoToken] = await Promise.all([
            cli(['gateway', 'health', '--json'], 'port1'),
            cli(['channels', 'status', '--probe', '--json', '--timeout', '5000'], 'port1', { OPENCLAW_GATEWAY_PORT: String(gw.port) }),
            cli(['gateway', 'health', '--json'], 'port1', { OPENCLAW_GATEWAY_PORT: String(gw.port) }),
            cli(['channels', 'status', '--probe', '--json', '--timeout', '5000'], 'port1', { OPENCLAW_GATEWAY_URL: url, OPENCLAW_GATEWAY_TOKEN: GW_TOKEN }),
            cli(['gateway', 'health', '--json'], 'port1', { OPENCLAW_GATEWAY_URL: url }),
          ]);
          expect(cfgPort.code).toBe(1);
          expect(objAt(jsonOf(cfgPort), 'error')['message']).toBe('Gateway not reachable at ws://127.0.0.1:1 (ECONNREFUSED).');
          expect(objAt(jsonOf(envPort), 'channels', 'telegram')['running']).toBe(true);
          expect(envPortHealth.code).toBe(0);
          expect(objAt(jsonOf(envUrl), 'channels', 'telegram')['running']).toBe(true);
          expect(envUrlNoToken.code).toBe(1);
          expect(objAt(jsonOf(envUrlNoToken), 'error')).toEqual({
            type: 'gateway_credentials_required',
            message: `gateway url override requires explicit credentials\nFix: pass --token or --password with --url (or gatewayToken in tools).\nSet OPENCLAW_GATEWAY_TOKEN or OPENCLAW_GATEWAY_PASSWORD alongside OPENCLAW_GATEWAY_URL; config credentials are intentionally not reused.\nConfig: ${cfgs['port1']}`,
          });
        },
        T,
      );

      it(
        'a 401 from the Bot API while running stops the channel; health still says ok',
        async () => {
          await tg.setBad([GOOD_BOT]);
          const ready = await waitFor(
            '/readyz 503 naming telegram',
            async () => {
              const r = await httpRequest(gw.port, '/readyz');
              return r.status === 503 ? r : null;
            },
            60_000,
            200,
          );
          expect(ready.json).toMatchObject({ ready: false, failing: ['telegram'] });
          const [channels, health] = await Promise.all([cli(['channels', 'status', '--probe', '--json'], 'ok'), cli(['gateway', 'health', '--json'], 'ok')]);
          const c = jsonOf(channels);
          expect(objAt(c, 'channels', 'telegram')).toMatchObject({ running: false, lastError: BLOCKED_401, probe: { ok: false, status: 401, error: 'Unauthorized' } });
          expect(account(c)).toMatchObject({ lifecycle: 'blocked', running: false, connected: false, terminalDisconnect: true, healthState: 'terminal-disconnect', lastError: BLOCKED_401 });
          expect(c['statusIssues']).toEqual([{ channel: 'telegram', accountId: 'default', kind: 'runtime', message: BLOCKED_401, fix: ISSUE_FIX }]);
          expect(health.code).toBe(0);
          expect(jsonOf(health)).toMatchObject({ ok: true, channels: { telegram: { lifecycle: 'blocked', running: false, lastError: BLOCKED_401 } } });
          expect(gw.log()).toContain(`[telegram] [default] channel exited: ${BLOCKED_401}`);
        },
        T,
      );

      it(
        'the channel stays blocked and /readyz 503 after the token works again (no restart)',
        async () => {
          await tg.setGood([GOOD_BOT]);
          const c = jsonOf(await cli(['channels', 'status', '--probe', '--json'], 'ok'));
          expect(objAt(c, 'channels', 'telegram')).toMatchObject({ running: false, lastError: BLOCKED_401, probe: { ok: true, status: null, error: null } });
          expect(account(c)).toMatchObject({ lifecycle: 'blocked', running: false });
          expect(c['statusIssues']).toHaveLength(1);
          expect(await httpRequest(gw.port, '/readyz')).toMatchObject({ status: 503, json: { ready: false, failing: ['telegram'] } });
        },
        T,
      );

      it(
        'exits within seconds of SIGTERM',
        async () => {
          const ms = await gw.stop(30_000);
          expect(ms).toBeLessThan(15_000);
          expect((await httpRequest(gw.port, '/healthz')).status).toBe(0);
        },
        T,
      );
    });

    describe('a gateway whose bot token is refused at start (401 on getMe)', () => {
      let gw: GatewayProcess;
      beforeAll(async () => {
        const port = await freePort();
        const gdir = join(dir, 'gw-401');
        mkdirSync(gdir);
        writeFileSync(join(gdir, 'telegram-token'), REVOKED_BOT);
        const config = gatewayConfig(port, join(gdir, 'telegram-token'), tg.apiRoot);
        writeCfg('revoked', config);
        gw = startGatewayProcess(impl, { dir: gdir, config, port });
        await waitForBlocked(gw, impl);
      }, T);
      afterAll(async () => void (await gw?.stop()), 60_000);

      it(
        'blocks the channel with the unauthorized error; the probe says 401',
        async () => {
          const [channels, health] = await Promise.all([cli(['channels', 'status', '--probe', '--json'], 'revoked'), cli(['gateway', 'health', '--json'], 'revoked')]);
          const c = jsonOf(channels);
          const error =
            'Telegram bot token unauthorized for account "default" (getMe returned 401 from Telegram; source: tokenFile token). Update channels.telegram.botToken, channels.telegram.tokenFile, or TELEGRAM_BOT_TOKEN with the current BotFather token.';
          expect(objAt(c, 'channels', 'telegram')).toMatchObject({ running: false, lastError: error, tokenSource: 'tokenFile', probe: { ok: false, status: 401, error: 'Unauthorized' } });
          expect(account(c)).toMatchObject({ lifecycle: 'blocked', running: false, terminalDisconnect: true, lastError: error });
          expect(account(c)).not.toHaveProperty('connected');
          expect(c['statusIssues']).toEqual([{ channel: 'telegram', accountId: 'default', kind: 'runtime', message: error, fix: ISSUE_FIX }]);
          expect(jsonOf(health)).toMatchObject({ ok: true, channels: { telegram: { lifecycle: 'blocked', lastError: error } } });
          expect(gw.log()).toContain(`[telegram] [default] ${error}`);
        },
        T,
      );
    });

    describe('a gateway whose telegram tokenFile is missing', () => {
      let gw: GatewayProcess;
      beforeAll(async () => {
        const port = await freePort();
        const gdir = join(dir, 'gw-notoken');
        mkdirSync(gdir);
        const config = gatewayConfig(port, join(gdir, 'missing-token'), tg.apiRoot);
        writeCfg('missing', config);
        gw = startGatewayProcess(impl, { dir: gdir, config, port });
        await waitForBlocked(gw, impl);
      }, T);
      afterAll(async () => void (await gw?.stop()), 60_000);

      it(
        'reports "configured but unavailable" with no probe at all',
        async () => {
          const [channels, health] = await Promise.all([cli(['channels', 'status', '--probe', '--json'], 'missing'), cli(['gateway', 'health', '--json'], 'missing')]);
          const c = jsonOf(channels);
          expect(objAt(c, 'channels', 'telegram')).toEqual({ configured: true, lastError: UNAVAILABLE });
          expect(account(c)).toEqual({
            accountId: 'default',
            running: false,
            lastStartAt: null,
            lastStopAt: null,
            lastError: UNAVAILABLE,
            lifecycle: 'blocked',
            restartPending: false,
            enabled: true,
            configured: true,
            stateReason: UNAVAILABLE,
          });
          expect(c['statusIssues']).toEqual([{ channel: 'telegram', accountId: 'default', kind: 'runtime', message: UNAVAILABLE, fix: ISSUE_FIX }]);
          expect(health.code).toBe(0);
          expect(jsonOf(health)).toMatchObject({ ok: true, channels: { telegram: { lifecycle: 'blocked', running: false, stateReason: UNAVAILABLE } } });
          expect(gw.log()).toContain(`[telegram] channel startup failed: ${UNAVAILABLE}`);
        },
        T,
      );
    });

    it('channels status waits 60 s for an unreachable gateway without --timeout, then answers from the config', async () => {
      const r = await defaultWait;
      expect(r.code).toBe(0);
      expect(r.ms).toBeGreaterThanOrEqual(59_000);
      expect(jsonOf(r)).toEqual({
        gatewayReachable: false,
        error: notReachedAfter(60),
        gatewayAuthUnavailable: false,
        configOnly: true,
        config: { path: cfgs['unreach'], mode: 'local' },
        configuredChannels: ['telegram'],
      });
    }, 200_000);
  });
});

/** Waits until /readyz names telegram as failing (past the startup-sidecars phase). */
async function waitForBlocked(gw: GatewayProcess, impl: OpenclawImpl): Promise<void> {
  await waitFor(
    '/readyz 503 naming telegram',
    async () => {
      if (gw.exited()) throw new Error(`the gateway exited:\n${gw.log()}`);
      const r = await httpRequest(gw.port, '/readyz');
      const failing = r.json?.['failing'];
      return r.status === 503 && Array.isArray(failing) && failing.includes('telegram') ? true : null;
    },
    impl.startTimeoutMs,
    200,
  );
}
