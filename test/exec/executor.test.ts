// The executor against a real host (a network namespace with its own sshd and files): every
// refusal leaves the host's files exactly as they were and is audited; approved steps run with
// their argv untouched while everything that leaves is redacted.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeStep } from '../../src/core/exec/executor.js';
import { openAuditLog, readAudit, type FileAuditLog } from '../../src/core/exec/audit.js';
import { POLICY_FILE } from '../../src/core/exec/policy/index.js';
import type { ExecContext, ExecEvent } from '../../src/core/exec/types.js';
import { ACTIONS, type ActionContext, type ActionSpec } from '../../src/core/plan/catalog.js';
import { displayStep } from '../../src/core/plan/display.js';
import type { Step } from '../../src/core/plan/schema.js';
import { makeStep } from '../../src/core/plan/steps.js';
import { createSshTransport } from '../../src/core/transport/ssh.js';
import type { Transport } from '../../src/core/transport/types.js';
import type { Host } from '../../src/core/inventory/schema.js';
import { hostsAvailable, useTestHosts, type TestHost } from '../helpers/hosts.js';
import { approver, makeCtx, snapshot, testHost } from './helpers.js';

const PROFILE = '/root/profiles/openclaw';
const STATE = `${PROFILE}.clawdeploy`; // hostStateDir() of the test host
const STORE = '/nix/store/0c7vs2mgn8d1yyq9dqb6pwz6h1yfrrl3-home-manager-generation';
// Telegram's shape (8-10 digits, ':', 35 characters), so the redactor's token rule knows it.
const TOKEN = '123456789:AAFakeFakeFakeFakeFakeFakeFakeFake1';
const MARKER = `/tmp/pwned-${randomBytes(4).toString('hex')}`;
// `; rm -rf <CANARY>` stands in for `; rm -rf /`: the same proof, and harmless if it ever ran.
const CANARY = '/root/canary';

const PAYLOADS = [`; rm -rf ${CANARY}`, `$(touch ${MARKER})`, `\`touch ${MARKER}\``, `&& touch ${MARKER}`, `\ntouch ${MARKER}`, `| touch ${MARKER}`];

/** Valid arguments per action; each string in them is made hostile in turn. */
const BASE: Record<string, Record<string, unknown>> = {
  'set-profile': { profile: PROFILE, storePath: STORE },
  activate: { profile: PROFILE },
  'switch-generation': { profile: PROFILE, generation: 1, storePath: STORE },
  'read-host-file': { path: `${STATE}/last-deploy.json` },
  'lock-host': { path: `${STATE}/lock`, owner: 'alice@laptop pid 1' },
  'write-host-file': { path: `${STATE}/record`, content: 'x' },
  'log-tail': { path: '/tmp/openclaw/openclaw-gateway.log', lines: 10 },
  'http-check': { port: 18789, path: '/readyz' },
  'service-status': { unit: 'openclaw-gateway', scope: 'user' },
  'channels-probe': { port: 18789, channels: ['telegram'] },
  'arm-watchdog': { profile: PROFILE, generation: 1, canary: `${STATE}/watchdog-canary`, seconds: 30 },
  build: { attribute: 'homeConfigurations.staging.activationPackage' },
  'copy-closure': { storePath: STORE },
};

describe.skipIf(!hostsAvailable())('executeStep on a real host', () => {
  const hosts = useTestHosts();
  let h: TestHost;
  let host: Host;
  let audit: FileAuditLog;
  let ctx: ExecContext;
  let shared: Transport;
  const dirs: string[] = [];
  const own = (prefix: string) => {
    const d = mkdtempSync(join(tmpdir(), `clawdeploy-exec-${prefix}-`));
    dirs.push(d);
    return d;
  };
  const ask = approver(true);
  const fresh = () => createSshTransport({ target: h.target, sshConfig: h.sshConfig, name: 'exec', connectTimeoutSec: 5 });

  beforeAll(async () => {
    h = await hosts.create('exec');
    host = testHost({ target: h.target, profile: PROFILE });
    shared = h.transport;
    audit = openAuditLog(join(own('audit'), 'audit.jsonl'));
    ctx = makeCtx({ host, transport: shared, audit, approver: ask, freshTransport: fresh });
    await h.writeFile(`${CANARY}/keep`, 'keep\n');
    await h.run(['mkdir', '-p', STATE, '/tmp/openclaw']);
  });
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  const actionCtx = (): ActionContext => ctx.actionCtx;
  /** The step a planner that skipped validation would write: the catalog's builder on raw args. */
  const unchecked = (action: string, args: Record<string, unknown>): Step => {
    const spec = (ACTIONS as Record<string, ActionSpec>)[action];
    let argv: string[] = ['sh', '-c', String(Object.values(args)[0])];
    try {
      if (spec) argv = spec.argv(args as never, actionCtx());
    } catch {
      /* a builder that cannot even build: keep the shell-looking argv */
    }
    return { id: `t-${action}`, action, args, on: spec?.on ?? 'host', reason: 'test', risk: spec?.risk ?? 'read', argv };
  };

  /** Runs a step that must not run; proves the host's files did not change and the audit has it. */
  async function nothingRan(step: Step, status: 'refused' | 'denied' | 'declined', reason: RegExp, c: ExecContext = ctx) {
    const before = snapshot(h.rootDir);
    const asked = ask.calls.length;
    const logged = readAudit(audit.path).length;
    const o = await executeStep(step, c);
    expect(o.status, `${step.action} ${JSON.stringify(step.args)}: ${o.reason}`).toBe(status);
    expect(o.reason).toMatch(reason);
    expect(o.exitCode).toBeNull();
    expect(snapshot(h.rootDir)).toEqual(before);
    expect(existsSync(join(h.rootDir, MARKER))).toBe(false);
    expect(existsSync(MARKER)).toBe(false);
    if (status === 'refused') expect(ask.calls.length).toBe(asked);
    const entries = readAudit(audit.path);
    expect(entries).toHaveLength(logged + 1);
    const entry = entries.at(-1)!;
    expect(entry).toMatchObject({ stepId: step.id, action: step.action, status, exitCode: null, host: 'staging' });
    if (status === 'refused') expect(entry.decision).toBe('refused');
    return { outcome: o, entry };
  }

  describe('refusals: nothing runs, the host is unchanged, the audit log has the entry', () => {
    it('an unknown action, including names inherited by every object', async () => {
      await nothingRan(
        { id: 'u1', action: 'run-shell', args: { cmd: `touch ${MARKER}` }, on: 'host', reason: 'x', risk: 'read', argv: ['sh', '-c', `touch ${MARKER}`] },
        'refused',
        /unknown action 'run-shell'/,
      );
      await nothingRan({ id: 'u2', action: 'constructor', args: {}, on: 'host', reason: 'x', risk: 'read', argv: ['touch', MARKER] }, 'refused', /unknown action/);
    });

    it.each(Object.keys(BASE))('hostile text in every string argument of %s', async (action) => {
      const base = BASE[action]!;
      let cases = 0;
      for (const [key, value] of Object.entries(base)) {
        const text = Array.isArray(value) ? String(value[0]) : typeof value === 'string' ? value : null;
        // write-host-file's content is data on stdin, never argv: see "hostile content is only data".
        if (text === null || key === 'content') continue;
        for (const payload of PAYLOADS) {
          for (const hostile of [`${text}${payload}`, payload]) {
            const args = { ...base, [key]: Array.isArray(value) ? [hostile] : hostile };
            const { entry } = await nothingRan(unchecked(action, args), 'refused', new RegExp(`^${action}: ${key}`));
            expect(entry.args[key]).toEqual(Array.isArray(value) ? [hostile] : hostile);
            cases += 1;
          }
        }
      }
      expect(cases).toBeGreaterThanOrEqual(PAYLOADS.length * 2);
    });

    it.each([
      ['set-profile', { profile: `-oProxyCommand=touch ${MARKER}`, storePath: STORE }, /profile: must not start with "-"/],
      ['activate', { profile: '--rollback' }, /profile: must not start with "-"/],
      ['switch-generation', { profile: PROFILE, generation: '--rollback', storePath: STORE }, /generation/],
      ['lock-host', { path: `${STATE}/lock`, owner: `-oProxyCommand=touch ${MARKER}` }, /owner: must not start with "-"/],
      ['read-host-file', { path: '--version' }, /path: must not start with "-"/],
      ['http-check', { port: 18789, path: `-o${MARKER}` }, /path: must be a URL path/],
      ['service-status', { unit: '--all', scope: 'user' }, /unit: must not start with "-"/],
      ['build', { attribute: '--impure' }, /attribute: must not start with "-"/],
      ['copy-closure', { storePath: '--to=file:///tmp' }, /storePath: must be \/nix\/store/],
      ['activate', { profile: PROFILE, extra: '--rollback' }, /Unrecognized key|unrecognized/i],
    ])('option injection: %s %j', async (action, args, reason) => {
      await nothingRan(unchecked(action, args), 'refused', reason);
    });

    it.each([
      ['set-profile', { profile: '/etc', storePath: STORE }, /not the declared profile/],
      ['activate', { profile: '/etc' }, /not the declared profile/],
      ['read-host-file', { path: '/etc/shadow' }, /outside clawdeploy's directory/],
      ['read-host-file', { path: `${STATE}x/last-deploy.json` }, /outside clawdeploy's directory/],
      ['read-host-file', { path: `${STATE}/../../../etc/shadow` }, /must not contain "\.\."/],
      ['write-host-file', { path: '/root/.ssh/authorized_keys', content: 'ssh-ed25519 AAAA attacker' }, /outside clawdeploy's directory/],
      ['unlock-host', { path: CANARY }, /outside clawdeploy's directory/],
      ['state-dir', { path: '/etc/cron.d' }, /not clawdeploy's directory/],
      ['confirm-watchdog', { canary: `${CANARY}/keep` }, /outside clawdeploy's directory/],
      ['arm-watchdog', { profile: PROFILE, generation: 1, canary: `${CANARY}/keep`, seconds: 30 }, /outside clawdeploy's directory/],
    ])('a path outside the declared roots: %s %j', async (action, args, reason) => {
      await nothingRan(unchecked(action, args), 'refused', reason);
    });

    describe('reads stay inside what the host declares', () => {
      const LOG = '/tmp/openclaw/openclaw-gateway.log';
      const SECRET = '/run/agenix/telegram';
      const KEY = '/root/.ssh/id_ed25519';
      let declared: Host;
      let c: ExecContext;
      beforeAll(async () => {
        declared = testHost({
          target: h.target,
          profile: PROFILE,
          gateway: { ...host.gateway, logPath: LOG },
          secretFiles: [{ path: SECRET, option: 'programs.openclaw.config.channels.telegram.tokenFile' }],
        });
        c = makeCtx({ host: declared, transport: shared, audit, approver: ask });
        await h.writeFile(LOG, '2026-12-02T14:55:23Z [gateway] ready\n');
        await h.writeFile(SECRET, `${TOKEN}\n`, 0o600);
        await h.writeFile(KEY, '-----BEGIN OPENSSH PRIVATE KEY-----\nnot a real key\n-----END OPENSSH PRIVATE KEY-----\n', 0o600);
      });

      it.each([
        ['log-tail', { path: '/etc/shadow', lines: 50 }, /^log-tail: path: \/etc\/shadow is not the gateway log host 'staging' declares \(\/tmp\/openclaw\/openclaw-gateway\.log\)/],
        ['log-tail', { path: KEY, lines: 50 }, /is not the gateway log/],
        ['log-tail', { path: SECRET, lines: 1 }, /is not the gateway log/],
        ['log-tail', { path: '/tmp/openclaw/../../etc/shadow', lines: 50 }, /^log-tail: path: must not contain "\.\."/],
        ['log-tail', { path: '/tmp/openclaw//openclaw-gateway.log', lines: 50 }, /not a plain absolute path/],
        ['log-tail', { path: `/proc/self/root${LOG}`, lines: 50 }, /is not the gateway log/],
        ['log-tail', { path: 'tmp/openclaw/openclaw-gateway.log', lines: 50 }, /^log-tail: path/],
        ['secret-present', { path: KEY }, /^secret-present: path: \/root\/\.ssh\/id_ed25519 is not a secret file host 'staging' declares \(\/run\/agenix\/telegram\)/],
        ['secret-present', { path: '/etc/shadow' }, /is not a secret file/],
        ['read-host-file', { path: KEY }, /outside clawdeploy's directory/],
        ['read-lock', { path: '/etc/shadow' }, /outside clawdeploy's directory/],
      ])('%s %j: refused, nothing runs, the host is unchanged', async (action, args, reason) => {
        const { entry } = await nothingRan(unchecked(action, args), 'refused', reason, c);
        expect(entry.rule).toBe('catalog');
      });

      it('the executor checks the host it runs on, not only the one the step was validated for', async () => {
        // A step validated against a context that claims /etc/shadow is the log: the executor's own check still refuses it.
        const lying = { ...c, actionCtx: { ...c.actionCtx, host: { ...declared, gateway: { ...declared.gateway, logPath: '/etc/shadow' } } } };
        const step = makeStep('lie-1', 'log-tail', { path: '/etc/shadow', lines: 50 }, 'x', lying.actionCtx);
        await nothingRan(step, 'refused', /^log-tail: path: \/etc\/shadow is not the gateway log host 'staging' declares/, lying);
      });

      it('in scope they run unasked: the gateway log, and a declared secret (never its value)', async () => {
        const read = approver(false);
        const r = { ...c, approver: read };
        const log = await executeStep(makeStep('in-1', 'log-tail', { path: LOG, lines: 5 }, 'x', r.actionCtx), r);
        expect(log).toMatchObject({ status: 'ok', stdout: '2026-12-02T14:55:23Z [gateway] ready\n' });
        const secret = await executeStep(makeStep('in-2', 'secret-present', { path: SECRET }, 'x', r.actionCtx), r);
        expect(secret).toMatchObject({ status: 'ok', stdout: '' });
        expect(read.calls).toHaveLength(0);
      });
    });

    it('a step changed after it was built (runbook edited after review)', async () => {
      const read = makeStep('tamper-1', 'read-host-file', { path: `${STATE}/last-deploy.json` }, 'x', actionCtx());
      const write = makeStep('tamper-2', 'write-host-file', { path: `${STATE}/record`, content: 'x' }, 'x', actionCtx());
      const dir = makeStep('tamper-3', 'state-dir', { path: STATE }, 'x', actionCtx());
      const cases: Array<[Step, RegExp]> = [
        [{ ...read, argv: ['cat', '/etc/shadow'] }, /argv does not match the catalog's/],
        [{ ...write, argv: ['tee', '/root/.ssh/authorized_keys'] }, /argv does not match/],
        [{ ...dir, argv: ['sh', '-c', `touch ${MARKER}`] }, /argv does not match/],
        [{ ...dir, argv: [...dir.argv, `${CANARY}/more`] }, /argv does not match/],
        [{ ...write, risk: 'read' }, /the step says risk 'read', the catalog says 'mutate'/],
        [{ ...dir, on: 'local' }, /the step says it runs on 'local'/],
        [{ ...read, argv: 'cat /etc/shadow' as unknown as string[] }, /argv does not match/],
      ];
      for (const [step, reason] of cases) {
        const { entry } = await nothingRan(step, 'refused', reason);
        expect(entry.rule).toBe('catalog');
      }
    });

    it("a denied step (a rule of the flake's clawdeploy.policy.yaml) never reaches the approver", async () => {
      const flakeDir = own('flake');
      writeFileSync(
        join(flakeDir, POLICY_FILE),
        [
          'rules:',
          '  - id: no-forbidden-files',
          '    decision: deny',
          '    actions: [write-host-file]',
          "    when: { arg: path, matches: '/forbidden$' }",
          '    reason: nobody writes the forbidden file',
          '    examples:',
          '      match: [{ action: write-host-file, environment: staging, args: { path: /p.clawdeploy/forbidden } }]',
          '      notMatch: [{ action: write-host-file, environment: staging, args: { path: /p.clawdeploy/record } }]',
          '',
        ].join('\n'),
      );
      const c = makeCtx({ host, transport: shared, audit, approver: ask, flakeDir });
      const step = makeStep('deny-1', 'write-host-file', { path: `${STATE}/forbidden`, content: `$(touch ${MARKER})` }, 'x', c.actionCtx);
      const asked = ask.calls.length;
      const { entry } = await nothingRan(step, 'denied', /denied by policy rule 'no-forbidden-files': nobody writes/, c);
      expect(ask.calls.length).toBe(asked);
      expect(entry).toMatchObject({ decision: 'deny', rule: 'no-forbidden-files', approver: null });
    });

    it('a declined approval (and anything that is not a literal yes) runs nothing', async () => {
      const step = makeStep('decline-1', 'write-host-file', { path: `${STATE}/declined`, content: 'x' }, 'x', actionCtx());
      const answers = [
        approver(false, 'bob'),
        approver(() => ({ approved: 'yes' as unknown as boolean, approver: 'bob' })),
        approver(() => {
          throw new Error('terminal closed');
        }),
      ];
      for (const a of answers) {
        const { outcome, entry } = await nothingRan(step, 'declined', /not approved|approval failed: terminal closed/, { ...ctx, approver: a });
        expect(a.calls).toHaveLength(1);
        expect(a.calls[0]).toMatchObject({ command: displayStep(step, host.target), typeHostName: false, verdict: { decision: 'ask', rule: 'ask-change' } });
        expect(a.calls[0]!.command).toBe(`ssh ${h.target.slice('ssh://'.length)} -- tee ${STATE}/declined`);
        expect(entry.decision).toBe('ask');
        expect(outcome.approver ?? null).toBe(entry.approver);
      }
    });

    it('a broken policy file refuses every step, reads included (fail closed)', async () => {
      const flakeDir = own('broken');
      writeFileSync(join(flakeDir, POLICY_FILE), 'rules:\n  - id: x\n    decision: allow\n');
      const c = makeCtx({ host, transport: shared, audit, approver: ask, flakeDir });
      const step = makeStep('broken-1', 'gateway-status', { port: 18789 }, 'x', c.actionCtx);
      const { entry } = await nothingRan(step, 'refused', new RegExp(`${POLICY_FILE}: rule 'x'`), c);
      expect(entry.rule).toBe('policy');
    });
  });

  describe('steps that run', () => {
    it('an approved step runs its exact argv; hostile content is only data on stdin', async () => {
      const content = `$(touch ${MARKER}) \`touch ${MARKER}\`; touch ${MARKER}\n`;
      const step = makeStep('write-1', 'write-host-file', { path: `${STATE}/record`, content }, 'x', actionCtx());
      const before = snapshot(h.rootDir);
      const o = await executeStep(step, ctx);
      expect(snapshot(h.rootDir)).not.toEqual(before); // the proof used above does see a change
      expect(o).toMatchObject({ status: 'ok', exitCode: 0, approver: 'tester' });
      expect(readFileSync(join(h.rootDir, STATE, 'record'), 'utf8')).toBe(content);
      expect(existsSync(join(h.rootDir, MARKER))).toBe(false);
      expect(readAudit(audit.path).at(-1)).toMatchObject({ stepId: 'write-1', decision: 'ask', rule: 'ask-change', approver: 'tester', status: 'ok', exitCode: 0, argv: ['tee', `${STATE}/record`] });
    });

    it('redacts the output in the outcome, the events and the audit log, and hashes the redacted output', async () => {
      await h.writeFile(`${STATE}/token`, `telegram bot token: ${TOKEN}\nsecond line\n`, 0o600);
      const events: ExecEvent[] = [];
      const read = approver(false);
      const c = { ...ctx, approver: read, onEvent: (e: ExecEvent) => events.push(e) };
      const step = makeStep('read-1', 'read-host-file', { path: `${STATE}/token` }, 'x', c.actionCtx);
      const o = await executeStep(step, c);
      expect(o).toMatchObject({ status: 'ok', approver: 'policy' });
      expect(read.calls).toHaveLength(0); // reads are allowed by policy
      expect(o.stdout).toBe('telegram bot token: [REDACTED:telegram-bot-token]\nsecond line\n');
      const lines = events.filter((e) => e.type === 'output').map((e) => (e as { line: string }).line);
      expect(lines).toEqual(['telegram bot token: [REDACTED:telegram-bot-token]', 'second line']);
      expect(events.map((e) => e.type)).toEqual(['step-start', 'output', 'output', 'step-end']);
      expect(JSON.stringify(events)).not.toContain(TOKEN);
      const entry = readAudit(audit.path).at(-1)!;
      expect(entry.output).toBe(o.stdout);
      const { createHash } = await import('node:crypto');
      expect(entry.outputSha256).toBe(createHash('sha256').update(o.stdout).digest('hex'));
      expect(readFileSync(audit.path, 'utf8')).not.toContain(TOKEN);
    });

    it('never alters the argv that runs: a token-shaped argument reaches the host intact, while the prompt and the log are redacted', async () => {
      const lock = makeStep('lock-1', 'lock-host', { path: `${STATE}/lock`, owner: TOKEN }, 'x', actionCtx());
      const seen = approver(true);
      const o = await executeStep(lock, { ...ctx, approver: seen });
      expect(o.status, o.reason).toBe('ok');
      expect((await h.run(['readlink', `${STATE}/lock`])).stdout.trim()).toBe(TOKEN);
      expect(seen.calls[0]!.command).toBe(`ssh ${h.target.slice('ssh://'.length)} -- ln -s [REDACTED:telegram-bot-token] ${STATE}/lock`);
      const entry = readAudit(audit.path).at(-1)!;
      expect(entry.argv).toEqual(['ln', '-s', '[REDACTED:telegram-bot-token]', `${STATE}/lock`]);
      expect(entry.args['owner']).toBe('[REDACTED:telegram-bot-token]');
      expect((await executeStep(makeStep('unlock-1', 'unlock-host', { path: `${STATE}/lock` }, 'x', actionCtx()), ctx)).status).toBe('ok');

      const write = makeStep('write-2', 'write-host-file', { path: `${STATE}/secret`, content: `${TOKEN}\n` }, 'x', actionCtx());
      expect((await executeStep(write, ctx)).status).toBe('ok');
      expect(readFileSync(join(h.rootDir, STATE, 'secret'), 'utf8')).toBe(`${TOKEN}\n`);
      expect(readAudit(audit.path).at(-1)!.args['content']).toBe('[REDACTED:telegram-bot-token]\n');
      expect(readFileSync(audit.path, 'utf8')).not.toContain(TOKEN);
    });

    it('production: reads run unasked, a change asks for the host name to be typed', async () => {
      const prod = testHost({ target: h.target, profile: PROFILE, environment: 'production', name: 'prod' });
      const a = approver(false);
      const c = makeCtx({ host: prod, transport: shared, audit, approver: a, freshTransport: fresh });
      const read = await executeStep(makeStep('p-1', 'read-host-file', { path: `${STATE}/record` }, 'x', c.actionCtx), c);
      expect(read).toMatchObject({ status: 'ok', approver: 'policy' });
      expect(a.calls).toHaveLength(0);
      const write = await executeStep(makeStep('p-2', 'write-host-file', { path: `${STATE}/record`, content: 'changed' }, 'x', c.actionCtx), c);
      expect(write.status).toBe('declined');
      expect(a.calls[0]).toMatchObject({ typeHostName: true, verdict: { rule: 'ask-production-change' } });
      const destructive = await executeStep(makeStep('p-3', 'switch-generation', { profile: PROFILE, generation: 1, storePath: STORE }, 'x', c.actionCtx), c);
      expect(destructive.status).toBe('declined');
      expect(a.calls[1]).toMatchObject({ typeHostName: true, verdict: { rule: 'ask-destructive' } });
      expect(readAudit(audit.path).at(-1)).toMatchObject({ host: 'prod', environment: 'production', decision: 'ask', status: 'declined' });
    });

    it('a command that fails is a failed outcome with the reason; a timeout too', async () => {
      const missing = await executeStep(makeStep('f-1', 'read-host-file', { path: `${STATE}/missing` }, 'x', actionCtx()), ctx);
      expect(missing).toMatchObject({ status: 'failed', exitCode: 1 });
      expect(missing.reason).toMatch(/^exit 1: cat: .*missing: No such file or directory/);

      // A FIFO with no writer, declared as the gateway's log: tail blocks on open until it is killed.
      expect((await h.run(['mkfifo', '/tmp/openclaw/stuck.log'])).exitCode).toBe(0);
      const c = makeCtx({ host: testHost({ target: h.target, profile: PROFILE, gateway: { ...host.gateway, logPath: '/tmp/openclaw/stuck.log' } }), transport: shared, audit, approver: ask });
      const stuck = makeStep('f-2', 'log-tail', { path: '/tmp/openclaw/stuck.log', lines: 5 }, 'x', c.actionCtx);
      const t0 = performance.now();
      const o = await executeStep(stuck, c, { timeoutMs: 700 });
      expect(performance.now() - t0).toBeLessThan(5_000);
      expect(o).toMatchObject({ status: 'failed', exitCode: 124, reason: 'timed out after 700 ms' });
      expect(readAudit(audit.path).at(-1)).toMatchObject({ stepId: 'f-2', status: 'failed', exitCode: 124, decision: 'allow', rule: 'allow-read' });
    });

    it('confirm-watchdog runs over a fresh connection, never the shared one', async () => {
      let sharedRuns = 0;
      let opened = 0;
      const counting: Transport = { ...shared, run: (argv, o) => ((sharedRuns += 1), shared.run(argv, o)) };
      const c = makeCtx({ host, transport: counting, audit, approver: ask, freshTransport: () => ((opened += 1), fresh()) });
      await h.writeFile(`${STATE}/watchdog-canary`, 'armed\n');
      const o = await executeStep(makeStep('c-1', 'confirm-watchdog', { canary: `${STATE}/watchdog-canary` }, 'x', c.actionCtx), c);
      expect(o.status, o.reason).toBe('ok');
      expect({ opened, sharedRuns }).toEqual({ opened: 1, sharedRuns: 0 });
      expect(existsSync(join(h.rootDir, STATE, 'watchdog-canary'))).toBe(false);
      const { freshTransport: _none, ...noFresh } = c;
      await nothingRan(makeStep('c-2', 'confirm-watchdog', { canary: `${STATE}/watchdog-canary` }, 'x', c.actionCtx), 'refused', /fresh connection/, noFresh);
    });
  });
});
