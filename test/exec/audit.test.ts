// The audit log file: where it lives, append-only JSONL, and reading it back.
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { auditPath, openAuditLog, readAudit } from '../../src/core/exec/audit.js';
import type { AuditEntry } from '../../src/core/exec/types.js';

const root = mkdtempSync(join(tmpdir(), 'clawdeploy-audit-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const entry = (stepId: string): AuditEntry => ({
  time: new Date().toISOString(),
  deploymentId: null,
  host: 'staging',
  environment: 'staging',
  stepId,
  action: 'gateway-status',
  args: { port: 1 },
  decision: 'allow',
  rule: 'allow-read',
  status: 'ok',
  approver: 'policy',
  argv: ['openclaw', 'gateway', 'status'],
  exitCode: 0,
  durationMs: 3,
  output: 'a\nb',
  outputSha256: '0'.repeat(64),
});

describe('audit log', () => {
  it('lives beside the records db, with the same precedence', () => {
    expect(auditPath({ CLAWDEPLOY_STATE_DIR: '/s', XDG_STATE_HOME: '/x', HOME: '/h' })).toBe('/s/audit.jsonl');
    expect(auditPath({ XDG_STATE_HOME: '/x', HOME: '/h' })).toBe('/x/clawdeploy/audit.jsonl');
    expect(auditPath({ XDG_STATE_HOME: 'relative', HOME: '/h' })).toBe('/h/.local/state/clawdeploy/audit.jsonl');
  });

  it('appends one JSON line per entry, across opens, and creates the file private', () => {
    const path = join(root, 'state', 'audit.jsonl');
    openAuditLog(path).append(entry('one'));
    const again = openAuditLog(path);
    again.append(entry('two'));
    again.append({ ...entry('three'), output: 'line\nwith "quotes"\n' });
    const text = readFileSync(path, 'utf8');
    expect(text.split('\n')).toHaveLength(4);
    expect(readAudit(path).map((e) => e.stepId)).toEqual(['one', 'two', 'three']);
    expect(readAudit(path)[2]!.output).toBe('line\nwith "quotes"\n');
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('skips a last line cut short by a crash, and refuses a bad line in the middle', () => {
    const path = join(root, 'cut.jsonl');
    openAuditLog(path).append(entry('whole'));
    appendFileSync(path, '{"time":"2026-');
    expect(readAudit(path).map((e) => e.stepId)).toEqual(['whole']);
    appendFileSync(path, '\n');
    openAuditLog(path).append(entry('after'));
    expect(() => readAudit(path)).toThrow(/line 2 is not JSON/);
    expect(readAudit(join(root, 'missing.jsonl'))).toEqual([]);
  });

  it('fails at open, not after a step ran, when the file cannot be written', () => {
    expect(() => openAuditLog('/proc/self/audit.jsonl')).toThrow(/cannot open for appending/);
  });
});
