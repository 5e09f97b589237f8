// Property: bad input to any command is one line with a documented exit code (2, or 3 for a
// refused runbook), never a stack trace, never exit 1, and nothing runs on the host. The host is
// a real local host on generation 1; every argv the generator makes has at least one bad part.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useLocalHosts } from '../helpers/localHost.js';
import { runCli } from '../helpers/cli.js';
import { currentGeneration } from '../deploy/localDeploy.js';
import { tempDir } from '../helpers/fixtures.js';

const { make } = useLocalHosts();

/** A word that is no flag, host or file of the fixture. */
const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/).filter((w) => !['staging', 'prod', 'help', 'version'].includes(w));
/** Text a user might type by mistake, punctuation, spaces and all (never a NUL: argv cannot hold one). */
const junk = fc.string({ minLength: 0, maxLength: 12, unit: 'grapheme' }).filter((s) => !s.includes('\u0000'));

type Cmd = { args: string[]; host: boolean; flake: boolean; opts: Array<fc.Arbitrary<string[]>> };

const COMMANDS: Record<string, Cmd> = {
  hosts: { args: ['hosts'], host: false, flake: true, opts: [fc.constant(['--json'])] },
  check: { args: ['check'], host: false, flake: true, opts: [fc.constant(['--json'])] },
  plan: { args: ['plan'], host: true, flake: true, opts: [fc.constant(['--json']), junk.map((b) => ['--base', b || 'x'])] },
  apply: { args: ['apply'], host: true, flake: true, opts: [fc.constant(['--yes']), junk.map((d) => ['--deadline', d || 'x'])] },
  rollback: { args: ['rollback'], host: true, flake: true, opts: [fc.constant(['--yes']), junk.map((t) => ['--to', t || '0'])] },
  drill: { args: ['drill'], host: true, flake: true, opts: [fc.constant(['--yes']), junk.map((d) => ['--deadline', d || 'x'])] },
  smoke: { args: ['smoke'], host: true, flake: true, opts: [fc.constant(['--json'])] },
  status: { args: ['status'], host: true, flake: true, opts: [fc.constant(['--json'])] },
  history: { args: ['history'], host: false, flake: false, opts: [fc.constant(['--json']), junk.map((n) => ['--limit', n || 'x'])] },
  verify: { args: ['runbook', 'verify'], host: false, flake: false, opts: [] },
  // Fleet commands: a selector that matches, and their own numeric flags.
  'apply-on': {
    args: ['apply', '--on', 'stag*'],
    host: false,
    flake: true,
    opts: [junk.map((p) => ['--parallel', p || 'x']), junk.map((n) => ['--canary', n || 'x']), fc.constant(['--rollback-all', '--yes'])],
  },
  'plan-on': { args: ['plan', '--on', 'staging'], host: false, flake: true, opts: [junk.map((p) => ['--parallel', p || 'x']), fc.constant(['--json'])] },
};

/** One bad part: an unknown flag, an unknown host, a missing flake, a runbook that is not one, or an extra argument. */
function badArgv(flakeDir: string, garbage: string): fc.Arbitrary<{ argv: string[]; why: string }> {
  return fc.constantFrom(...Object.keys(COMMANDS)).chain((name) => {
    const c = COMMANDS[name]!;
    // Up to two of the command's own (valid) options, each given or not.
    const good = fc.tuple(...c.opts.map((o) => fc.option(o, { nil: [] as string[] })), fc.constant([] as string[]));
    const fault = fc.oneof(
      word.map((w) => ({ kind: 'unknown flag', host: 'staging', flake: flakeDir, extra: [`--${w}x`] })),
      word.map((w) => ({ kind: 'unknown host', host: `${w}-nohost`, flake: flakeDir, extra: [] as string[] })),
      word.map((w) => ({ kind: 'missing flake', host: 'staging', flake: join(flakeDir, `${w}-missing`), extra: [] as string[] })),
      fc.constant({ kind: 'flake is a file', host: 'staging', flake: garbage, extra: [] as string[] }),
      word.map((w) => ({ kind: 'extra argument', host: 'staging', flake: flakeDir, extra: [`${w}-extra`, `${w}-more`] })),
    );
    return fc.tuple(good, fault, word).map(([opts, fault, w]) => {
      // A fault the command has no place for (a host for `history`, a flake for `runbook verify`) becomes an unknown flag.
      const fits = (fault.kind !== 'unknown host' || c.host || name === 'verify') && (!fault.kind.includes('flake') || c.flake);
      const f = fits ? fault : { kind: 'unknown flag', host: 'staging', flake: flakeDir, extra: [`--${w}x`] };
      const argv = [...c.args];
      if (name === 'verify') argv.push(f.kind === 'unknown host' ? join(flakeDir, `${f.host}.json`) : garbage);
      else if (c.host) argv.push(f.host);
      if (c.flake) argv.push('--flake', f.flake);
      argv.push(...opts.flat(), ...f.extra);
      return { argv, why: `${name}: ${f.kind}` };
    });
  });
}

describe('fuzzing the command line', () => {
  it('bad input: exit 2 or 3, one line, no stack trace, nothing run on the host', async () => {
    const h = await make('f3-bump-openclaw', { seed: true });
    const garbage = join(tempDir('fuzz'), 'garbage.json');
    writeFileSync(garbage, '{"schemaVersion": 1, "plan": [1, 2');
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(badArgv(h.flake.dir, garbage), async ({ argv, why }) => {
        // A command whose bad part is its only fault may still ask nothing: nothing reads stdin.
        const r = await runCli(argv, { env: h.env, input: '' });
        seen.add(why.split(':')[0]!);
        const where = `${why}\n$ clawdeploy ${argv.join(' ')}\n--- exit ${r.code}\n${r.stdout}\n${r.stderr}`;
        expect([2, 3], where).toContain(r.code);
        expect(r.stderr, where).not.toMatch(/^\s+at |internal error|Error: .*\n\s+at /m);
        expect(r.stderr.trim().split('\n').length, where).toBeLessThanOrEqual(3);
      }),
      { numRuns: 100, endOnFailure: true },
    );
    expect(seen.size).toBeGreaterThan(4);
    // Nothing ran on the host: the profile is where it was, and no deployment was recorded.
    expect(await currentGeneration(h.profile)).toBe(1);
    const history = await runCli(['history', '--json'], { env: h.env });
    expect(JSON.parse(history.stdout || '[]')).toEqual([]);
  }, 600_000);
});
