// `clawdeploy redact` as a user runs it: failures are one line on stderr with the README's exit
// codes, never a Node stack trace.
import { describe, expect, it, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, userEnv } from '../helpers/cli.js';
import { cleanupFixtures, tempDir } from '../helpers/fixtures.js';

afterAll(cleanupFixtures);

const BIN = join(import.meta.dirname, '../../bin/clawdeploy.mjs');
const LOG = 'deploy TELEGRAM_BOT_TOKEN=123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0 done\n';

function logFile(): string {
  const file = join(tempDir('redact-cmd'), 'deploy.log');
  writeFileSync(file, LOG.repeat(2000));
  return file;
}

const oneLine = (stderr: string) => stderr.trim().split('\n');

describe('clawdeploy redact: errors', () => {
  it.runIf(existsSync('/dev/full'))('stdout that cannot be written (> /dev/full): one line naming stdout, exit 1', () => {
    const file = logFile();
    const full = openSync('/dev/full', 'w');
    try {
      // From a file, and from stdin.
      for (const [args, input] of [
        [[file], undefined],
        [[], readFileSync(file)],
      ] as const) {
        const r = spawnSync('node', [BIN, 'redact', ...args], { input, stdio: [input ? 'pipe' : 'ignore', full, 'pipe'], env: userEnv(), encoding: 'utf8' });
        expect(r.status, args.join(' ')).toBe(1);
        expect(oneLine(r.stderr)).toEqual(['clawdeploy: stdout: cannot write the redacted output (ENOSPC: no space left on device)']);
      }
    } finally {
      closeSync(full);
    }
  });

  it('a reader that stops early (| head) is not an error', () => {
    const r = spawnSync('sh', ['-c', `node ${BIN} redact ${logFile()} | head -n 1`], { env: userEnv(), encoding: 'utf8' });
    expect(r.stdout).toBe('deploy TELEGRAM_BOT_TOKEN=[REDACTED:telegram-bot-token] done\n');
    expect(r.stderr).toBe('');
  });

  it('CLAWDEPLOY_REDACT_ENV naming a variable that is not set: one line, exit 2, nothing on stdout', async () => {
    const r = await runCli(['redact', logFile()], { env: { CLAWDEPLOY_REDACT_ENV: 'DB_DSN,SMTP_LOGIN', DB_DSN: 'postgres://u:correct-horse@db/x' } });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(oneLine(r.stderr)).toEqual(['clawdeploy: CLAWDEPLOY_REDACT_ENV: SMTP_LOGIN is not set, so its value cannot be masked (set it, or take it out of CLAWDEPLOY_REDACT_ENV)']);
  });

  it('CLAWDEPLOY_REDACT_FILE pointing at a directory: says so, exit 2', async () => {
    const dir = join(tempDir('redact-dir'), 'values.d');
    mkdirSync(dir);
    const r = await runCli(['redact', logFile()], { env: { CLAWDEPLOY_REDACT_FILE: dir } });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(oneLine(r.stderr)).toEqual([`clawdeploy: CLAWDEPLOY_REDACT_FILE ${dir}: is a directory, not a file of values (one per line)`]);
  });

  it.runIf(existsSync('/proc/self/mem'))('an input that fails while it is read: one line naming it, exit 2, no stack trace', async () => {
    const r = await runCli(['redact', '/proc/self/mem']);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toEqual([expect.stringMatching(/^clawdeploy: \/proc\/self\/mem: cannot read it \(EIO/)]);
  });

  it('a directory as the input: says so, exit 2', async () => {
    const dir = tempDir('redact-in');
    const r = await runCli(['redact', dir]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toEqual([`clawdeploy: ${dir}: is a directory`]);
  });
});
