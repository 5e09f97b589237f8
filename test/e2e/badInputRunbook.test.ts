// A runbook that is not one is bad input (exit 2); a runbook that fails its own schema is an
// invalid runbook, refused like an edited one (exit 3, README "Exit codes"). Nothing runs either way.
import { describe, expect, it } from 'vitest';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/fixtures.js';
import { runCli } from '../helpers/cli.js';
import { oneLineError } from '../helpers/oneLineError.js';

function file(name: string, content: unknown): string {
  const path = join(tempDir('runbook'), name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const escaped = (s: string) => s.replace(/[.]/g, '\\.');

describe('runbooks that cannot be executed', () => {
  it('a runbook that fails its schema is refused (exit 3) by verify and by apply, before anything is opened', async () => {
    const rb = file('edited.json', { kind: 'clawdeploy-runbook', version: 1, flakeDir: '/nonexistent', plan: { host: 'staging' } });
    const state = tempDir('state');
    const named = new RegExp(`^clawdeploy: ${escaped(rb)}: invalid runbook: plan\\.\\w+: `);
    oneLineError(await runCli(['runbook', 'verify', rb], { env: { CLAWDEPLOY_STATE_DIR: state } }), 3, named);
    oneLineError(await runCli(['apply', '--runbook', rb], { env: { CLAWDEPLOY_STATE_DIR: state } }), 3, named);
    expect(readdirSync(state)).toEqual([]);
  });

  it('a file that is not a runbook, or not JSON, is bad input (exit 2) naming it', async () => {
    const other = file('flake.lock.json', { nodes: {}, root: 'root', version: 7 });
    oneLineError(await runCli(['runbook', 'verify', other]), 2, new RegExp(`^clawdeploy: ${escaped(other)}: not a clawdeploy runbook`));
    const cut = file('cut.json', '{"kind": "clawdeploy-runbook", "plan": {');
    oneLineError(await runCli(['runbook', 'verify', cut]), 2, new RegExp(`^clawdeploy: ${escaped(cut)}: not JSON`));
  });

  it('a runbook that cannot be read names the file (exit 2)', async () => {
    oneLineError(await runCli(['runbook', 'verify', '/nonexistent/runbook.json']), 2, /^clawdeploy: \/nonexistent\/runbook\.json: no such file$/);
    oneLineError(await runCli(['apply', '--runbook', '/nonexistent/runbook.json']), 2, /^clawdeploy: \/nonexistent\/runbook\.json: no such file$/);
    const dir = tempDir('runbook-dir');
    oneLineError(await runCli(['runbook', 'verify', dir]), 2, new RegExp(`^clawdeploy: ${escaped(dir)}: is a directory, not a file$`));
  });
});
