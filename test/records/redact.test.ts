import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OUTPUT_LIMIT_BYTES, openRecords } from '../../src/core/records/index.js';
import { deployment, tempDir } from './helpers.js';

const SECRET = '123456789:AAHsecretTelegramTokenValue';
const redact = (s: string) => s.replaceAll(SECRET, '[REDACTED:TELEGRAM_BOT_TOKEN]');

/** Every byte SQLite has put on disk for the ledger (main file, WAL, shared memory). */
function onDisk(file: string): string {
  return readdirSync(dirname(file))
    .map((f) => readFileSync(join(dirname(file), f)).toString('latin1'))
    .join('');
}

describe('the redact hook', () => {
  it('masks every free-text field before it reaches the file', () => {
    const file = join(tempDir(), 'records.db');
    const r = openRecords(file, { redact });
    const id = r.startDeployment(deployment());
    r.recordStep(id, { stepId: 's', action: 'a', phase: 'apply', status: 'failed', exitCode: 1, durationMs: 1, output: `token=${SECRET}`, reason: `bad ${SECRET}` });
    r.recordHealth(id, [{ name: 'channel:telegram', ok: false, detail: `rejected ${SECRET}` }]);
    r.recordApproval(id, { approver: 'alice', how: 'interactive', what: `run with ${SECRET}` });
    r.finishDeployment(id, { outcome: 'failed', failedCheck: `channel:telegram ${SECRET}` });
    const drill = r.startDrill({ host: 'staging-1', fromGeneration: null });
    r.finishDrill(drill, { outcome: 'failed', detail: `drill ${SECRET}` });

    const got = r.get(id)!;
    expect(got.steps[0]).toMatchObject({ output: 'token=[REDACTED:TELEGRAM_BOT_TOKEN]', reason: 'bad [REDACTED:TELEGRAM_BOT_TOKEN]' });
    expect(got.health[0]!.detail).toBe('rejected [REDACTED:TELEGRAM_BOT_TOKEN]');
    expect(got.approvals[0]!.what).toBe('run with [REDACTED:TELEGRAM_BOT_TOKEN]');
    expect(got.failedCheck).toBe('channel:telegram [REDACTED:TELEGRAM_BOT_TOKEN]');
    expect(r.lastDrill('staging-1')!.detail).toBe('drill [REDACTED:TELEGRAM_BOT_TOKEN]');
    expect(onDisk(file)).toContain('REDACTED:TELEGRAM_BOT_TOKEN');
    expect(onDisk(file)).not.toContain('AAHsecret');
    r.close();
    expect(onDisk(file)).not.toContain('AAHsecret');
  });

  it('stores without the hook exactly what it is given', () => {
    const r = openRecords(join(tempDir(), 'records.db'));
    const id = r.startDeployment(deployment());
    r.finishDeployment(id, { outcome: 'failed', failedCheck: SECRET });
    expect(r.get(id)!.failedCheck).toBe(SECRET);
    r.close();
  });
});

describe('step output excerpts', () => {
  it('keeps at most 4 KB, the tail, without splitting a character', () => {
    const r = openRecords(join(tempDir(), 'records.db'));
    const id = r.startDeployment(deployment());
    const output = 'début ' + 'é'.repeat(6000) + ' error: activation failed';
    r.recordStep(id, { stepId: 's', action: 'a', phase: 'apply', status: 'failed', exitCode: 1, durationMs: 1, output });
    r.recordStep(id, { stepId: 't', action: 'a', phase: 'apply', status: 'ok', exitCode: 0, durationMs: 1, output: 'short' });
    const [long, short] = r.get(id)!.steps;
    expect(Buffer.byteLength(long!.output)).toBeLessThanOrEqual(OUTPUT_LIMIT_BYTES);
    expect(Buffer.byteLength(long!.output)).toBeGreaterThan(OUTPUT_LIMIT_BYTES - 8);
    expect(long!.output).toMatch(/^\[… \d+ bytes, first part cut …\]\n/);
    expect(long!.output.endsWith('é error: activation failed')).toBe(true);
    expect(long!.output).not.toContain('\uFFFD');
    expect(long!.output).not.toContain('début');
    expect(short!.output).toBe('short');
    r.close();
  });

  it('redacts before cutting, so a secret on the cut line cannot leave a fragment behind', () => {
    const r = openRecords(join(tempDir(), 'records.db'), { redact });
    const id = r.startDeployment(deployment());
    // Slide the secret across the cut point: whatever the offset, no piece of it is stored.
    for (let tail = 4000; tail < 4120; tail += 3) {
      r.recordStep(id, { stepId: `s${tail}`, action: 'a', phase: 'apply', status: 'ok', exitCode: 0, durationMs: 1, output: 'x'.repeat(5000) + SECRET + 'y'.repeat(tail) });
    }
    for (const s of r.get(id)!.steps) expect(s.output).not.toMatch(/TokenValue|secretTele|AAH/);
    r.close();
  });
});
