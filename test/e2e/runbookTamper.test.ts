// Issue 11: a runbook edited after review, with its hash recomputed, is refused by `runbook verify`
// (exit 3) and by `apply --runbook`, each naming the edit; an untampered one still verifies.
// Real plan, real build and a real local profile; needs `npm run build` first.
import { describe, expect, it } from 'vitest';
import { readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useLocalHosts, type LocalHost } from '../helpers/localHost.js';
import { printed, runCli } from '../helpers/cli.js';
import { TAMPERINGS, tampered } from '../helpers/runbook.js';
import type { RunbookJson } from '../../src/core/plan/runbook.js';

const { make } = useLocalHosts();

/** A seeded host and a fresh runbook of its deploy, made once for every case below. */
let made: Promise<{ h: LocalHost; json: string; rb: RunbookJson }> | undefined;
function reviewed(): Promise<{ h: LocalHost; json: string; rb: RunbookJson }> {
  made ??= (async () => {
    const h = await make('f3-bump-openclaw', { seed: true });
    const md = join(h.stateDir, 'deploy.md');
    const plan = await h.cli('plan', 'staging', '--runbook', md);
    expect(plan.code, printed(plan)).toBe(0);
    const json = md.replace(/\.md$/, '.json');
    return { h, json, rb: JSON.parse(readFileSync(json, 'utf8')) as RunbookJson };
  })();
  return made;
}

describe('runbook verify holds a runbook to the plan invariants and to a fresh plan', () => {
  it('an untampered runbook verifies (exit 0)', async () => {
    const { h, json } = await reviewed();
    const ok = await runCli(['runbook', 'verify', json], { env: h.env });
    expect(ok.code, printed(ok)).toBe(0);
    expect(ok.stdout).toMatch(/valid \(\d+ steps for staging, plan sha256:[0-9a-f]{64}; a fresh plan is the same plan\)/);
  });

  it.each(TAMPERINGS)('$what, with the hash recomputed: exit 3, naming the difference', async ({ what, edit, names }) => {
    const { h, rb } = await reviewed();
    const file = join(h.stateDir, `tampered-${what.replaceAll(' ', '-')}.json`);
    writeFileSync(file, JSON.stringify({ ...rb, plan: tampered(rb.plan, (s) => edit(s, rb.plan)) }, null, 2));
    const r = await runCli(['runbook', 'verify', file], { env: h.env });
    expect(r.code, printed(r)).toBe(3);
    for (const name of names) expect(r.stdout).toMatch(name);
    expect(r.stdout).not.toMatch(/hash does not match|stale/);
  });

  it('apply --runbook refuses an edited runbook with the same words, and changes nothing', async () => {
    const { h, rb } = await reviewed();
    const file = join(h.stateDir, 'tampered-apply.json');
    const set = TAMPERINGS.find((t) => t.what === 'the set-profile store path changed')!;
    writeFileSync(file, JSON.stringify({ ...rb, plan: tampered(rb.plan, (s) => set.edit(s, rb.plan)) }, null, 2));
    const before = readlinkSync(h.profile);
    const r = await h.cli('apply', '--runbook', file);
    expect(r.code, printed(r)).not.toBe(0);
    expect(r.stderr).toMatch(/refused: .*apply step 2 \(set-profile\): store path \/nix\/store\/a{32}-home-manager-generation in the runbook/);
    expect(r.stderr).not.toMatch(/stale/);
    expect(readlinkSync(h.profile)).toBe(before);
  });
});
