// A guard: the deploy flow, the executor and the screen ask the catalog what a step does
// (plan/behaviour.ts); none of them tests an action id by name. A source scan, so a new
// `step.action === 'activate'` fails here with the file and line to change.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/core/plan/catalog.js';

const ROOT = join(import.meta.dirname, '../..');
const FLOW_DIRS = ['src/core/deploy', 'src/core/exec', 'src/ui'];

const ids = Object.keys(ACTIONS).map((id) => id.replace(/[-]/g, '\\-'));
const anyId = `['"\`](?:${ids.join('|')})['"\`]`;
/** What a by-name test looks like: a comparison with a quoted id, a switch case, a literal set or list of ids asked for membership. */
const BY_NAME: Array<[string, RegExp]> = [
  ['compares .action with a quoted id', /\baction\s*[!=]==?\s*['"`]/],
  ['compares a quoted id with .action', /['"`][\w-]+['"`]\s*[!=]==?\s*[\w.?!]*\baction\b/],
  ['switches on an action id', new RegExp(`\\bcase\\s+${anyId}\\s*:`)],
  ['keeps a set of action ids', new RegExp(`new\\s+Set\\s*\\(\\s*\\[[^\\]]*${anyId}`)],
  ['asks a literal list of action ids', new RegExp(`\\[[^\\]]*${anyId}[^\\]]*\\]\\s*\\.(?:includes|indexOf|some|find)\\(`)],
];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.tsx?$/.test(e.name) ? [p] : [];
  });
}

/** Every by-name test in a text, as "line N: what". */
function byName(text: string): string[] {
  const found: string[] = [];
  for (const [what, re] of BY_NAME) {
    const g = new RegExp(re.source, 'g');
    for (const m of text.matchAll(g)) found.push(`line ${text.slice(0, m.index).split('\n').length}: ${what}: ${m[0].trim()}`);
  }
  return found;
}

describe('the flow asks the catalog, never an action id by name', () => {
  it('the scan recognises the by-name tests it replaced', () => {
    for (const sample of [
      "if (step.action === 'set-profile') mutated = true;",
      "plan.steps.rollback.filter((s) => s.action !== 'switch-generation')",
      "if ('activate' === step.action) {}",
      "const BOOKKEEPING = new Set(['state-dir', 'lock-host']);",
      "switch (step.action) {\n  case 'confirm-watchdog':\n}",
      "if (['set-profile', 'activate'].includes(step.action)) {}",
    ]) {
      expect(byName(sample), sample).not.toEqual([]);
    }
    // Comparing two steps' actions, or building a step of a given action, is not a by-name test.
    expect(byName("req.step.action === first.action && makeStep('lock-1', 'state-dir', {}, 'why', ctx)")).toEqual([]);
  });

  it('no module of src/core/deploy, src/core/exec or src/ui tests an action id by name', () => {
    const files = FLOW_DIRS.flatMap((d) => sources(join(ROOT, d)));
    expect(files.length).toBeGreaterThan(30);
    const offenders = files.flatMap((f) => byName(readFileSync(f, 'utf8')).map((hit) => `${relative(ROOT, f)} ${hit}`));
    expect(offenders, 'ask plan/behaviour.ts (behaviourOf, stepLabel) instead, and declare the behaviour in the catalog').toEqual([]);
  });
});
