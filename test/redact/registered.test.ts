// Values the user registers are masked by the real command, and a bad registration stops it
// before it prints anything (one line, naming the variable or the file and line, no value).
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { registeredValues } from '../../src/core/redact/registered.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/fixtures.js';

const DSN = 'postgres://deploy:correct-horse-battery@db.internal/claw';
const PLAIN = 'plainsecretwithoutshape42';

describe('registeredValues', () => {
  const file = (text: string) => {
    const p = join(tempDir('reg'), 'redact');
    writeFileSync(p, text);
    return p;
  };
  const cases: Array<[string, NodeJS.ProcessEnv, Array<{ value: string; label: string }> | RegExp]> = [
    ['nothing registered', {}, []],
    ['names from CLAWDEPLOY_REDACT_ENV, empty ones skipped (nothing to mask)', { CLAWDEPLOY_REDACT_ENV: 'DB_DSN, EMPTY', DB_DSN: DSN, EMPTY: '' }, [{ value: DSN, label: 'DB_DSN' }]],
    ['a name that is not set', { CLAWDEPLOY_REDACT_ENV: 'DB_DSN, NOT_SET', DB_DSN: DSN }, /^CLAWDEPLOY_REDACT_ENV: NOT_SET is not set, so its value cannot be masked/],
    ['a directory as the file', { CLAWDEPLOY_REDACT_FILE: '/tmp' }, /^CLAWDEPLOY_REDACT_FILE \/tmp: is a directory/],
    ['a short value of a named variable', { CLAWDEPLOY_REDACT_ENV: 'PIN', PIN: '1234' }, /^CLAWDEPLOY_REDACT_ENV: the value of PIN is shorter than 8 characters/],
    ['a missing file', { CLAWDEPLOY_REDACT_FILE: '/nonexistent/redact' }, /^CLAWDEPLOY_REDACT_FILE \/nonexistent\/redact: no such file$/],
  ];
  for (const [name, env, want] of cases) {
    it(name, () => {
      if (want instanceof RegExp) expect(() => registeredValues(env)).toThrow(want);
      else expect(registeredValues(env)).toEqual(want);
    });
  }

  it('reads a file of values, skipping blank lines and comments; a short value names its line', () => {
    const good = file(`# deploy secrets\n\n${PLAIN}\n  ${DSN}  \n`);
    expect(registeredValues({ CLAWDEPLOY_REDACT_FILE: good })).toEqual([
      { value: PLAIN, label: 'registered' },
      { value: DSN, label: 'registered' },
    ]);
    const bad = file(`${PLAIN}\nshort\n`);
    expect(() => registeredValues({ CLAWDEPLOY_REDACT_FILE: bad })).toThrow(`${bad}:2: a value shorter than 8 characters`);
  });
});

describe('the real command', () => {
  it('masks registered values from the environment and the file', async () => {
    const dir = tempDir('reg-cli');
    writeFileSync(join(dir, 'values'), `${PLAIN}\n`);
    writeFileSync(join(dir, 'log'), `connecting to ${DSN}\nusing ${PLAIN} for smtp\n`);
    const r = await runCli(['redact', join(dir, 'log')], { env: { CLAWDEPLOY_REDACT_ENV: 'DB_DSN', DB_DSN: DSN, CLAWDEPLOY_REDACT_FILE: join(dir, 'values') } });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('correct-horse-battery');
    expect(r.stdout).not.toContain(PLAIN);
    expect(r.stdout).toContain('[REDACTED:registered]');
  });

  it('refuses to start with a bad registration: exit 2, one line, no value, nothing on stdout', async () => {
    const dir = tempDir('reg-bad');
    writeFileSync(join(dir, 'values'), 'tiny\n');
    const r = await runCli(['hosts', '--flake', dir], { env: { CLAWDEPLOY_REDACT_FILE: join(dir, 'values') } });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([`clawdeploy: ${join(dir, 'values')}:1: a value shorter than 8 characters cannot be masked without masking ordinary text`]);
    expect(r.stderr).not.toContain('tiny\n');
  });
});
