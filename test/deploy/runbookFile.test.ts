// readRunbookFile: what `apply --runbook` and `runbook verify` read. A file that cannot be read
// is bad input naming it (exit 2), an invalid runbook is refused (exit 3); never a raw ENOENT.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRunbookFile } from '../../src/core/deploy/runbookFile.js';
import { ExitCode, UserError } from '../../src/core/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'clawdeploy-runbook-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function refusal(file: string): UserError {
  try {
    readRunbookFile(file);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return e as UserError;
  }
  return expect.fail(`${file} was read as a runbook`);
}

describe('reading a runbook file', () => {
  it('a missing file or a directory is bad input naming it', () => {
    const missing = join(dir, 'missing.json');
    expect(refusal(missing)).toMatchObject({ message: `${missing}: no such file`, exitCode: ExitCode.badInput });
    expect(refusal(dir)).toMatchObject({ message: `${dir}: is a directory, not a file`, exitCode: ExitCode.badInput });
  });

  it('a runbook that fails its schema is an invalid runbook (blocked); a file that is no runbook is bad input', () => {
    const edited = join(dir, 'edited.json');
    writeFileSync(edited, JSON.stringify({ kind: 'clawdeploy-runbook', version: 1, flakeDir: '/src/flake', plan: {} }));
    expect(refusal(edited)).toMatchObject({ exitCode: ExitCode.blocked, message: expect.stringMatching(/^\S+edited\.json: invalid runbook: plan\./) });
    const other = join(dir, 'other.json');
    writeFileSync(other, '{"version": 7}');
    expect(refusal(other)).toMatchObject({ exitCode: ExitCode.badInput, message: expect.stringMatching(/not a clawdeploy runbook/) });
  });
});
