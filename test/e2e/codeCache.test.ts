// The CLI's V8 code cache (bin/clawdeploy.mjs): written after a command's first run, used by the
// next, rewritten when V8 rejects it, never needed for a correct answer.
import { describe, expect, it } from 'vitest';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';

const CACHE = join(import.meta.dirname, '../../dist/.v8cache');
const checkCaches = () => {
  try {
    return readdirSync(CACHE).filter((f) => f.startsWith('check-') && f.endsWith('.cache'));
  } catch {
    return [];
  }
};
const run = () => runCli(['check', '--flake', '/nonexistent/flake'], { env: { CLAWDEPLOY_TIMING: '1' } });
const state = (stderr: string) => /\[timing\] code cache: (.+)/.exec(stderr)?.[1];

describe('the code cache', () => {
  it('is written by the first run of a command, used by the next, rewritten when rejected, and off on request', async () => {
    for (const f of checkCaches()) rmSync(join(CACHE, f));
    const first = await run();
    expect(state(first.stderr)).toBe('none yet');
    expect(checkCaches()).toHaveLength(1);
    const second = await run();
    expect(state(second.stderr)).toBe('used');
    // The same answer either way: exit 2 and one line naming the flake.
    for (const r of [first, second]) {
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^clawdeploy: --flake \/nonexistent\/flake: no such directory$/m);
    }
    writeFileSync(join(CACHE, checkCaches()[0]!), 'not a code cache');
    const third = await run();
    expect(state(third.stderr)).toBe('rejected');
    expect(third.code).toBe(2);
    expect(state((await run()).stderr)).toBe('used');
    expect(state((await runCli(['check', '--flake', '/nonexistent/flake'], { env: { CLAWDEPLOY_TIMING: '1', CLAWDEPLOY_NO_CACHE: '1' } })).stderr)).toBe('off');
  });
});
