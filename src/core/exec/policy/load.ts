// Loads the policy: the defaults plus an optional clawdeploy.policy.yaml at the flake root.
// Its rules have the default's shape and ordering, and its examples run at load too.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { UserError } from '../../errors.js';
import { DEFAULT_RULES } from './default.js';
import { createPolicy, type Policy } from './evaluate.js';

export const POLICY_FILE = 'clawdeploy.policy.yaml';

// The executor loads per step: reuse the result while the file is unchanged.
const cache = new Map<string, { stamp: string; policy: Policy }>();

/** The default policy plus `<flakeDir>/clawdeploy.policy.yaml` when it exists; throws a one-line UserError if it is broken. */
export function loadPolicy(flakeDir?: string): Policy {
  const file = flakeDir ? join(flakeDir, POLICY_FILE) : null;
  const stat = file && existsSync(file) ? statSync(file) : null;
  const key = file ?? '';
  const stamp = stat ? `${stat.mtimeMs}:${stat.size}:${stat.ino}` : 'none';
  const hit = cache.get(key);
  if (hit && hit.stamp === stamp) return hit.policy;
  const policy = stat && file ? createPolicy(DEFAULT_RULES, readRules(file), file) : createPolicy(DEFAULT_RULES);
  cache.set(key, { stamp, policy });
  return policy;
}

// The YAML parser is loaded only for a policy file: it is a quarter of what every command
// that runs a step would otherwise load (and parse) at start.
const requireHere = createRequire(import.meta.url);

function readRules(file: string): unknown[] {
  let doc: unknown;
  try {
    const { parseDocument } = requireHere('yaml') as typeof import('yaml');
    // A policy is security config: what the parser only warns about (an unknown tag) is refused
    // as an error too, rather than printed as a Node warning and read some other way.
    const parsed = parseDocument(readFileSync(file, 'utf8'), { logLevel: 'silent' });
    const problem = parsed.errors[0] ?? parsed.warnings[0];
    if (problem) throw problem;
    doc = parsed.toJS();
  } catch (e) {
    throw new UserError(`${file}: not valid YAML (${(e as Error).message.split('\n')[0]})`);
  }
  if (doc === null || doc === undefined) return [];
  // Only the top-level shape here; each rule is checked (and named in errors) by createPolicy.
  const rules = typeof doc === 'object' && !Array.isArray(doc) ? (doc as { rules?: unknown }).rules : undefined;
  if (!Array.isArray(rules) || Object.keys(doc as object).some((k) => k !== 'rules')) {
    throw new UserError(`${file}: expected a mapping with one key, rules: a list of policy rules`);
  }
  return rules;
}
