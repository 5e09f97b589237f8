// Two secrets on one line are two findings: each has to be moved out and rotated, and a
// report of one hides the other until the next run.
import { describe, expect, it, afterAll } from 'vitest';
import { execa } from 'execa';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanRendered, scanRenderedSync, scanSources, scanSourcesSync } from '../../src/core/secrets/index.js';
import { runCli } from '../helpers/cli.js';
import { cleanupFixtures, tempDir } from '../helpers/fixtures.js';

afterAll(cleanupFixtures);

const TG = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0';
const ANT = `sk-ant-api03-${'Ab9_'.repeat(23)}xAA`;
const LINE = `  # old bot ${TG} and key ${ANT}`;
const SRC = `{\n  x = 1;\n${LINE}\n}\n`;

describe('one finding per secret', () => {
  it('scanSources and scanSourcesSync report both secrets of one line, each with its rule and column', async () => {
    for (const fs of [scanSourcesSync([{ path: 'flake.nix', content: SRC }]), await scanSources([{ path: 'flake.nix', content: SRC }])]) {
      expect(fs.map((f) => [f.line, f.code])).toEqual([
        [3, 'secret-token'],
        [3, 'secret-token'],
      ]);
      expect(fs[0]!.message).toContain(`(telegram-bot-token, 1234…, column ${LINE.indexOf(TG) + 1})`);
      expect(fs[1]!.message).toContain(`(anthropic-api-key, sk-a…, column ${LINE.indexOf(ANT) + 1})`);
      for (const f of fs) expect(`${f.message} ${f.fix}`).not.toContain(TG.slice(0, 8));
    }
  });

  it('a line with one secret keeps its message without a column', async () => {
    const fs = await scanSources([{ path: 'flake.nix', content: `{\n  # ${TG}\n}\n` }]);
    expect(fs).toHaveLength(1);
    expect(fs[0]!.message).toContain('(telegram-bot-token, 1234…)');
  });

  it('an option literal and another token on its line are two findings, the literal not twice', async () => {
    const src = `{\n  programs.openclaw.config.channels.telegram.botToken = "${TG}"; # was ${ANT}\n}\n`;
    const fs = await scanSources([{ path: 'flake.nix', content: src }]);
    expect(fs.map((f) => [f.line, f.code])).toEqual([
      [2, 'secret-inline'],
      [2, 'secret-token'],
    ]);
    expect(fs[1]!.message).toContain('anthropic-api-key');
  });

  it('a secret only secretlint knows, next to one of ours on the same line, is reported too', async () => {
    const src = `{\n  # ${TG} npm_abcdefghijklmnopqrstuvwxyzABCDEF0123\n}\n`;
    const fs = await scanSources([{ path: 'flake.nix', content: src }]);
    expect(fs.map((f) => /\(([a-z-]+),/.exec(f.message)?.[1])).toEqual(['telegram-bot-token', 'secretlint-npm']);
    expect(fs.every((f) => f.line === 2 && /column \d+/.test(f.message))).toBe(true);
  });

  it('scanRendered reports both secrets of one unit line', async () => {
    const unit = `[Service]\nEnvironment="TELEGRAM_BOT_TOKEN=${TG}" "ANTHROPIC_API_KEY=${ANT}"\n`;
    const file = { storePath: '/nix/store/x-unit-openclaw-gateway.service/openclaw-gateway.service', content: unit };
    for (const fs of [scanRenderedSync([file]), await scanRendered([file])]) {
      expect(fs.map((f) => [f.line, f.code])).toEqual([
        [2, 'secret-rendered'],
        [2, 'secret-rendered'],
      ]);
      expect(fs.map((f) => /\((telegram-bot-token|anthropic-api-key), column \d+\)/.exec(f.message)?.[1])).toEqual(['telegram-bot-token', 'anthropic-api-key']);
    }
  });

  it.each([
    ['check', ['check']],
    ['plan', ['plan', 'gateway']],
  ])('`clawdeploy %s` lists both (the real command; blocked before Nix)', async (_name, args) => {
    const dir = tempDir('two-secrets');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'flake.nix'), SRC);
    const r = await runCli([...args, '--flake', dir, '--json']);
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout) as { findings: Array<{ code: string; line: number; message: string }> };
    const tokens = report.findings.filter((f) => f.code === 'secret-token');
    expect(tokens.map((f) => f.line)).toEqual([3, 3]);
    expect(tokens.map((f) => /\(([a-z-]+),/.exec(f.message)?.[1]).sort()).toEqual(['anthropic-api-key', 'telegram-bot-token']);
    expect(r.stdout).not.toContain(TG);
  });

  it('`clawdeploy check` says "in git history" only when a commit holds the secret', async () => {
    const dir = tempDir('history');
    writeFileSync(join(dir, 'flake.nix'), SRC);
    const git = (...args: string[]) => execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: dir });
    await git('init', '-q');
    const messages = async () => {
      const r = await runCli(['check', '--flake', dir, '--json']);
      expect(r.code).toBe(3);
      return (JSON.parse(r.stdout) as { findings: Array<{ code: string; message: string }> }).findings.filter((f) => f.code === 'secret-token').map((f) => f.message);
    };
    // Nix sees only what git tracks: the file is added, not committed.
    await git('add', 'flake.nix');
    for (const m of await messages()) expect(m).toMatch(/It is not committed yet, but it is staged/);
    await git('commit', '-qm', 'oops');
    const rev = (await git('rev-parse', '--short', 'HEAD')).stdout.trim();
    for (const m of await messages()) expect(m).toMatch(new RegExp(`It is in git history already \\(commit ${rev}`));
  });
});
