// Bad input never gives a stack trace: one line naming the file, field or host, exit 2, and
// nothing changed (no profile created on the host).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanupFixtures, createOpenclawRepo, materializeFlake, tempDir } from '../helpers/fixtures.js';
import { runCli } from '../helpers/cli.js';
import { oneLineError } from '../helpers/oneLineError.js';

let repo: string;
beforeAll(async () => {
  repo = (await createOpenclawRepo()).path;
  // Commands that read the records (plan, status, smoke) read a fresh ledger, never the user's.
  process.env['CLAWDEPLOY_STATE_DIR'] = tempDir('state');
});
afterAll(() => cleanupFixtures());

/** F1 with one file edited (and staged, so Nix sees it). */
async function f1With(edit?: { file: string; change: (text: string) => string }, vars: Record<string, string> = {}) {
  const flake = await materializeFlake('f1-single-staging', { openclawRepo: repo, vars });
  if (edit) {
    const path = join(flake.dir, edit.file);
    writeFileSync(path, edit.change(readFileSync(path, 'utf8')));
    await execa('git', ['-C', flake.dir, 'add', '-A']);
  }
  return flake;
}

const escaped = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

describe('bad input', () => {
  it('a malformed flake.lock names the file', async () => {
    const flake = await f1With({ file: 'flake.lock', change: (t) => t.slice(0, 40) });
    oneLineError(await runCli(['plan', 'staging', '--flake', flake.dir]), 2, /flake\.lock/);
  });

  it('a flake.lock with a wrong field names the field', async () => {
    const flake = await f1With({ file: 'flake.lock', change: (t) => t.replace('"version": 7', '"version": "seven"') });
    oneLineError(await runCli(['plan', 'staging', '--flake', flake.dir]), 2, /flake\.lock.*version/);
  });

  it('a host missing from the inventory lists the hosts there are', async () => {
    const flake = await f1With();
    oneLineError(await runCli(['plan', 'prod', '--flake', flake.dir]), 2, /host 'prod' is not in the inventory .*hosts: staging/);
  });

  it('an invalid host entry names the attribute path and what is wrong', async () => {
    const flake = await f1With({ file: 'flake.nix', change: (t) => t.replace('target = "local";', 'target = "ftp://example.org";') });
    oneLineError(await runCli(['plan', 'staging', '--flake', flake.dir]), 2, /clawdeploy\.hosts\.staging\.target: must be "local" or ssh:\/\//);
    oneLineError(await runCli(['hosts', '--flake', flake.dir]), 2, /clawdeploy\.hosts\.staging\.target/);
  });

  it('a flake that fails to evaluate says why in one line', async () => {
    const flake = await f1With({ file: 'flake.nix', change: (t) => t.replace('environment = "staging";', 'environment = throw "staging host is misconfigured";') });
    oneLineError(await runCli(['plan', 'staging', '--flake', flake.dir]), 2, /misconfigured/);
  });

  it('an unknown --base revision, a missing flake dir and an unknown option', async () => {
    const flake = await f1With();
    oneLineError(await runCli(['plan', 'staging', '--flake', flake.dir, '--base', 'nosuchrev']), 2, /--base nosuchrev: no such revision/);
    oneLineError(await runCli(['plan', 'staging', '--flake', '/nonexistent/flake']), 2, /--flake \/nonexistent\/flake: no such directory/);
    const r = await runCli(['plan', 'staging', '--frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option '--frobnicate'/);
  });

  it('an out-of-range gateway port names the host and the option it came from, in every command', async () => {
    const flake = await f1With(undefined, { GATEWAY_PORT_staging: '99999' });
    const named = /host 'staging': homeConfigurations\.staging\.config\.programs\.openclaw\.instances\.default\.gatewayPort = 99999: must be a TCP port from 1 to 65535$/;
    for (const args of [['hosts'], ['check'], ['plan', 'staging'], ['status']]) oneLineError(await runCli([...args, '--flake', flake.dir]), 2, named);
  });

  it('a flake syntax error names the file and line, in every command', async () => {
    const flake = await f1With({ file: 'flake.nix', change: (t) => t.replace('environment = "staging";', 'environment = "staging"') });
    // Nix stops at the line after the missing ";".
    const line = readFileSync(join(flake.dir, 'flake.nix'), 'utf8').split('\n').indexOf('      environment = "staging"') + 2;
    expect(line).toBeGreaterThan(1);
    for (const args of [['hosts'], ['check'], ['plan', 'staging']]) {
      oneLineError(await runCli([...args, '--flake', flake.dir]), 2, new RegExp(`syntax error, unexpected '=', expecting ';' \\(at flake\\.nix:${line}:\\d+\\)$`));
    }
  });

  it('a truncated flake.lock names the file in the commands that only evaluate the inventory', async () => {
    const flake = await f1With({ file: 'flake.lock', change: (t) => t.slice(0, 40) });
    for (const args of [['hosts'], ['status'], ['smoke', 'staging']]) {
      oneLineError(await runCli([...args, '--flake', flake.dir]), 2, new RegExp(`^clawdeploy: ${escaped(flake.dir)}/flake\\.lock: not valid JSON`));
    }
  });

  it('an unknown flag or command is one line with where to look, not the usage', async () => {
    oneLineError(await runCli(['plan', 'staging', '--frobnicate']), 2, /^clawdeploy: unknown option '--frobnicate' \(see clawdeploy plan --help\)$/);
    oneLineError(await runCli(['history', '--jsn']), 2, /^clawdeploy: unknown option '--jsn' \(Did you mean --json\?\) \(see clawdeploy history --help\)$/);
    oneLineError(await runCli(['runbook', 'verify']), 2, /^clawdeploy: missing required argument 'file\.json' \(see clawdeploy runbook verify --help\)$/);
    oneLineError(await runCli(['nosuchcommand']), 2, /^clawdeploy: unknown command 'nosuchcommand' \(see clawdeploy --help\)$/);
  });

  it('an unreadable redact input names the file', async () => {
    oneLineError(await runCli(['redact', '/nonexistent/log']), 2, /\/nonexistent\/log: no such file/);
  });

  it('a reader that stops early (`redact big.log | head -1`) is not an error: exit 0, nothing on stderr', async () => {
    const log = join(tempDir('pipe'), 'big.log');
    writeFileSync(log, 'gateway started token=sk-ant-api03-' + 'A'.repeat(93) + 'AA\n'.repeat(1) + 'ordinary line\n'.repeat(200_000));
    const bin = join(import.meta.dirname, '../../bin/clawdeploy.mjs');
    const r = await execa('bash', ['-c', `node '${bin}' redact '${log}' | head -1; echo "status \${PIPESTATUS[0]}" >&2`], { reject: false });
    expect(r.stdout).toBe('gateway started token=[REDACTED:anthropic-api-key]');
    expect(r.stderr.trim()).toBe('status 0');
  });

  it('changes nothing on the host when the input is bad', async () => {
    const flake = await f1With({ file: 'flake.lock', change: () => '{' });
    const profile = flake.vars['PROFILE_staging']!;
    await runCli(['plan', 'staging', '--flake', flake.dir]);
    expect(existsSync(profile)).toBe(false);
    expect(existsSync(`${profile}-1-link`)).toBe(false);
  });
});
