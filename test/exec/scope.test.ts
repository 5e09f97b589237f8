// The executor's own scope check on a local host, where it sees the host's files itself: a
// declared log (or one of clawdeploy's files) that is a symbolic link to a key is refused before
// anything runs, and the host is left exactly as it was; a plain file in scope is read.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { executeStep } from '../../src/core/exec/executor.js';
import { openAuditLog, readAudit } from '../../src/core/exec/audit.js';
import { hostStateDir } from '../../src/core/plan/catalog.js';
import { makeStep } from '../../src/core/plan/steps.js';
import { createLocalTransport } from '../../src/core/transport/local.js';
import { approver, makeCtx, snapshot, testHost } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'clawdeploy-scope-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const root = join(dir, 'host');
const LOG = join(root, 'logs', 'gateway.log');
const KEY = join(root, 'home', '.ssh', 'id_ed25519');
const KEY_TEXT = 'not-a-real-key-but-private-all-the-same';
const host = testHost({ profile: join(root, 'profile'), gateway: { ...testHost().gateway, logPath: LOG } });
const STATE = hostStateDir(host);
mkdirSync(join(root, 'logs'), { recursive: true });
mkdirSync(join(root, 'home', '.ssh'), { recursive: true });
mkdirSync(STATE, { recursive: true });
writeFileSync(KEY, `${KEY_TEXT}\n`, { mode: 0o600 });
const audit = openAuditLog(join(dir, 'audit.jsonl'));
const ask = approver(true);
const ctx = makeCtx({ host, transport: createLocalTransport(), audit, approver: ask });

describe('a read whose declared path is a symbolic link (a local host)', () => {
  it.each([
    ['log-tail', LOG, { path: LOG, lines: 50 }],
    ['read-host-file', join(STATE, 'last-deploy.json'), { path: join(STATE, 'last-deploy.json') }],
  ] as const)('%s: refused before anything runs; the host is unchanged and the audit says why', async (action, path, args) => {
    symlinkSync(KEY, path);
    try {
      const step = makeStep(`link-${action}`, action, args, 'x', ctx.actionCtx);
      const before = snapshot(root);
      const logged = readAudit(audit.path).length;
      const o = await executeStep(step, ctx);
      expect(o).toMatchObject({ status: 'refused', exitCode: null, stdout: '', stderr: '' });
      expect(o.reason).toBe(`${action}: path: ${path} is a symbolic link (to ${KEY}): reading it would follow the link out of scope`);
      expect(snapshot(root)).toEqual(before);
      expect(ask.calls).toHaveLength(0);
      const entries = readAudit(audit.path);
      expect(entries).toHaveLength(logged + 1);
      expect(entries.at(-1)).toMatchObject({ stepId: step.id, status: 'refused', decision: 'refused', rule: 'catalog', exitCode: null, output: '' });
      expect(readFileSync(audit.path, 'utf8')).not.toContain(KEY_TEXT);
    } finally {
      unlinkSync(path);
    }
  });

  it('a plain file in scope is read; the lock, a link by design, is read as a link', async () => {
    writeFileSync(LOG, '2026-12-02T14:55:23Z [gateway] ready\n');
    const log = await executeStep(makeStep('plain-1', 'log-tail', { path: LOG, lines: 5 }, 'x', ctx.actionCtx), ctx);
    expect(log).toMatchObject({ status: 'ok', stdout: '2026-12-02T14:55:23Z [gateway] ready\n' });
    symlinkSync('alice@laptop pid 1', join(STATE, 'lock'));
    const lock = await executeStep(makeStep('plain-2', 'read-lock', { path: join(STATE, 'lock') }, 'x', ctx.actionCtx), ctx);
    expect(lock).toMatchObject({ status: 'ok', stdout: 'alice@laptop pid 1\n' });
  });
});
