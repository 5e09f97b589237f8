// A real terminal for the ink sessions' end-to-end tests: tmux on a private socket, 80x24
// sessions that run the real binary (bin/clawdeploy.mjs) through a launcher script with a
// person's environment, polled until the screen says what is expected. UPDATE_SCREENS=1
// refreshes the screens saved in docs/screens.
import { execa } from 'execa';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tempDir } from './fixtures.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const HAS_TMUX = spawnSync('tmux', ['-V']).status === 0;

export interface Terminal {
  /** Starts `clawdeploy ARGS` (shell words) in a detached 80x24 session named `name`. */
  start(name: string, args: string): Promise<void>;
  screen(name: string): Promise<string>;
  /** Polls the screen until it matches every pattern, or fails with the last screen shown. */
  waitFor(name: string, patterns: RegExp[], ms?: number): Promise<string>;
  keys(name: string, ...k: string[]): Promise<unknown>;
  /** Text then Enter, as two key events (as typed). */
  typeLine(name: string, text: string): Promise<void>;
  close(): Promise<void>;
}

/** A terminal whose sessions run clawdeploy with `env`; each ends with "EXIT <code>" on screen. */
export function terminal(tag: string, env: Record<string, string>): Terminal {
  const socket = `clawdeploy-${tag}-${process.pid}`;
  const tmux = (...args: string[]) => execa('tmux', ['-L', socket, ...args]);
  const launcher = join(tempDir('tmux'), 'run.sh');
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  writeFileSync(
    launcher,
    [
      // A person's terminal, not CI: ink draws only the last frame when it sees CI=true.
      'unset ANTHROPIC_API_KEY OPENAI_API_KEY CLAWDEPLOY_PROVIDER NO_COLOR FORCE_COLOR CI CONTINUOUS_INTEGRATION GITHUB_ACTIONS BUILD_NUMBER RUN_ID',
      ...Object.entries({ LANG: 'C.UTF-8', TERM: 'xterm-256color', PATH: process.env['PATH'] ?? '', ...env }).map(([k, v]) => `export ${k}=${q(v)}`),
      `cd ${q(ROOT)}`,
      'node bin/clawdeploy.mjs "$@"',
      'echo "EXIT $?"',
      'sleep 600',
    ].join('\n'),
  );
  const screen = async (name: string) => (await tmux('capture-pane', '-p', '-t', name)).stdout;
  const keys = (name: string, ...k: string[]) => tmux('send-keys', '-t', name, ...k);
  return {
    start: async (name, args) => {
      await tmux('new-session', '-d', '-x', '80', '-y', '24', '-s', name, `sh ${launcher} ${args}`);
    },
    screen,
    async waitFor(name, patterns, ms = 30_000) {
      const end = Date.now() + ms;
      let last = '';
      while (Date.now() < end) {
        last = await screen(name);
        if (patterns.every((p) => p.test(last))) return last;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`screen never matched ${patterns.join(' ')}:\n${last}`);
    },
    keys,
    async typeLine(name, text) {
      await tmux('send-keys', '-t', name, '-l', text);
      await keys(name, 'Enter');
    },
    close: async () => {
      await tmux('kill-server').catch(() => undefined);
    },
  };
}

/** Saves a screen under docs/screens when UPDATE_SCREENS is set (trailing blanks trimmed). */
export function saveScreen(file: string, text: string): void {
  if (process.env['UPDATE_SCREENS']) writeFileSync(join(ROOT, 'docs/screens', file), `${text.replace(/[ \t]+$/gm, '').trimEnd()}\n`);
}
