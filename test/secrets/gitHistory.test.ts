// A finding says "in git history already" only when a commit holds the secret; otherwise it
// says the secret is not committed yet and how to keep it out. Each case is its own temp repo.
import { describe, expect, it, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanSources } from '../../src/core/secrets/index.js';
import { secretHistory } from '../../src/core/secrets/gitHistory.js';
import { cleanupFixtures, tempDir } from '../helpers/fixtures.js';

afterAll(cleanupFixtures);

const TG = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0';
const OLD = '987654321:BBHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1';
const HEX48 = '3f2a9c4b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e';
const ENV = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.org',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.org',
};

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-C', dir, ...args], { env: ENV, encoding: 'utf8' }).trim();
}

function repo(): string {
  const dir = tempDir('hist');
  git(dir, 'init', '-q');
  return dir;
}

const tokenLine = (v: string) => `{\n  # bot: ${v}\n}\n`;
const inline = (v: string) => `{\n  programs.openclaw.config.gateway.auth.token = "${v}";\n}\n`;
const scan = (dir: string, file = 'flake.nix', content?: string) => scanSources([{ path: file, content: content ?? '' }], { flakeDir: dir, secretlint: false });

describe('what a secret finding says about git', () => {
  it('committed: names the commit that holds it', async () => {
    const dir = repo();
    writeFileSync(join(dir, 'flake.nix'), tokenLine(TG));
    git(dir, 'add', 'flake.nix');
    git(dir, 'commit', '-qm', 'add bot');
    const rev = git(dir, 'rev-parse', 'HEAD').slice(0, 12);
    const [f] = await scan(dir, 'flake.nix', tokenLine(TG));
    expect(f!.message).toContain(`It is in git history already (commit ${rev}): rotate it.`);
    expect(f!.fix).toContain(`it is in git history (commit ${rev})`);
  });

  it('never committed (the file is new, or a committed file got the secret since): says so and how to keep it out', async () => {
    const dir = repo();
    writeFileSync(join(dir, 'README.md'), 'hello\n');
    git(dir, 'add', 'README.md');
    git(dir, 'commit', '-qm', 'init');
    writeFileSync(join(dir, 'flake.nix'), inline(HEX48));
    for (const f of await scan(dir, 'flake.nix', inline(HEX48))) {
      expect(f.code).toBe('secret-inline');
      expect(f.message).not.toMatch(/in git history already/);
      expect(f.message).toContain('It is not committed yet: move it out before you commit');
      expect(f.fix).not.toMatch(/it is in git history/);
      expect(f.fix).toMatch(/rotate/i);
    }
    writeFileSync(join(dir, 'README.md'), `hello\ntoken ${TG}\n`);
    const [r] = await scan(dir, 'README.md', `hello\ntoken ${TG}\n`);
    expect(r!.message).toContain('It is not committed yet');
  });

  it('staged but not committed: says to stage the cleaned file again', async () => {
    const dir = repo();
    writeFileSync(join(dir, 'flake.nix'), tokenLine(TG));
    git(dir, 'add', 'flake.nix');
    const [f] = await scan(dir, 'flake.nix', tokenLine(TG));
    expect(f!.message).toContain('It is not committed yet, but it is staged');
    expect(f!.message).toContain('`git add flake.nix` again');
  });

  it('an older secret removed from the file later is still found in an earlier commit; a new one is not', async () => {
    const dir = repo();
    mkdirSync(join(dir, 'hosts'));
    writeFileSync(join(dir, 'hosts/bot.nix'), tokenLine(OLD));
    git(dir, 'add', '.');
    git(dir, 'commit', '-qm', 'old');
    const first = git(dir, 'rev-parse', 'HEAD').slice(0, 12);
    writeFileSync(join(dir, 'hosts/bot.nix'), '{ }\n');
    git(dir, 'commit', '-qam', 'clean');
    // Renamed since: the history of the file follows the rename.
    git(dir, 'mv', 'hosts/bot.nix', 'hosts/telegram.nix');
    git(dir, 'commit', '-qm', 'rename');
    const content = `{\n  # ${OLD}\n  # ${TG}\n}\n`;
    writeFileSync(join(dir, 'hosts/telegram.nix'), content);
    const fs = await scan(dir, 'hosts/telegram.nix', content);
    expect(fs.map((f) => f.line)).toEqual([2, 3]);
    expect(fs[0]!.message).toContain(`in git history already (commit ${first})`);
    expect(fs[1]!.message).toContain('It is not committed yet');
  });

  it('a commit amended away still counts (the reflog holds it)', async () => {
    const dir = repo();
    writeFileSync(join(dir, 'flake.nix'), tokenLine(TG));
    git(dir, 'add', 'flake.nix');
    git(dir, 'commit', '-qm', 'oops');
    writeFileSync(join(dir, 'flake.nix'), '{ }\n');
    git(dir, 'commit', '-q', '--amend', '-am', 'clean');
    const [f] = await scan(dir, 'flake.nix', tokenLine(TG));
    expect(f!.message).toContain('in git history already');
  });

  it('a flake in a subdirectory of the repository', async () => {
    const dir = repo();
    mkdirSync(join(dir, 'deploy'));
    writeFileSync(join(dir, 'deploy/flake.nix'), tokenLine(TG));
    git(dir, 'add', '.');
    git(dir, 'commit', '-qm', 'x');
    const [f] = await scan(join(dir, 'deploy'), 'flake.nix', tokenLine(TG));
    expect(f!.message).toContain('in git history already');
  });

  it('not a git repository: no commit holds it', async () => {
    const dir = tempDir('nogit');
    writeFileSync(join(dir, 'flake.nix'), tokenLine(TG));
    const [f] = await scan(dir, 'flake.nix', tokenLine(TG));
    expect(f!.message).toContain('The flake is not in a git repository, so no commit holds it');
    expect(f!.message).not.toMatch(/in git history already/);
  });

  it('without the flake directory it claims neither', async () => {
    const [f] = await scanSources([{ path: 'flake.nix', content: tokenLine(TG) }], { secretlint: false });
    expect(f!.message).not.toMatch(/in git history already|not committed/);
    expect(f!.message).toContain('If it was ever committed, it is in git history too');
  });

  it('a directory git cannot read is "unknown": the finding claims neither', async () => {
    expect((await secretHistory('/nonexistent/flake', 'flake.nix', [TG])).get(TG)).toEqual({ state: 'unknown' });
  });
});
