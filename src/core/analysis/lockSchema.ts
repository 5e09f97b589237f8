// flake.lock (version 7) validation. Errors name the file and the field, e.g.
// "flake.lock: nodes.nix-openclaw.locked: expected an object", and exit with code 2 (bad input).
import { z } from 'zod';
import { UserError } from '../errors.js';
import { isRecord } from './util.js';

/** A locked or original flake reference; only the fields the analysis reads are typed. */
const FlakeRef = z.looseObject({
  type: z.string(),
  owner: z.string().optional(),
  repo: z.string().optional(),
  host: z.string().optional(),
  url: z.string().optional(),
  path: z.string().optional(),
  id: z.string().optional(),
  ref: z.string().optional(),
  rev: z.string().optional(),
  dir: z.string().optional(),
  narHash: z.string().optional(),
  lastModified: z.number().int().nonnegative().optional(),
  revCount: z.number().int().nonnegative().optional(),
});
export type FlakeRef = z.infer<typeof FlakeRef>;

/** An input is either a node name or a `follows` path from the root (["nix-openclaw", "nixpkgs"]). */
const InputRef = z.union([z.string(), z.array(z.string())]);

const LockNode = z.looseObject({
  inputs: z.record(z.string(), InputRef).optional(),
  locked: FlakeRef.optional(),
  original: FlakeRef.optional(),
  flake: z.boolean().optional(),
});
export type LockNode = z.infer<typeof LockNode>;

const FlakeLockSchema = z
  .looseObject({
    version: z.literal(7),
    root: z.string(),
    nodes: z.record(z.string(), LockNode),
  })
  .superRefine((lock, ctx) => {
    if (!(lock.root in lock.nodes)) {
      ctx.addIssue({ code: 'custom', path: ['root'], message: `names node "${lock.root}", which is not in nodes` });
      return;
    }
    // Like Nix, only nodes reachable from the root count. Dangling node names are reported
    // first: a follows through one of them is only a consequence.
    const refs = reachable(lock).flatMap((name) => Object.entries(lock.nodes[name]?.inputs ?? {}).map(([input, ref]) => ({ path: ['nodes', name, 'inputs', input], ref })));
    let dangling = false;
    for (const { path, ref } of refs) {
      if (typeof ref === 'string' && !(ref in lock.nodes)) {
        dangling = true;
        ctx.addIssue({ code: 'custom', path, message: `node "${ref}" does not resolve` });
      }
    }
    if (dangling) return;
    for (const { path, ref } of refs) {
      if (typeof ref !== 'string' && resolveFollows(lock, ref) === null) {
        ctx.addIssue({ code: 'custom', path, message: `follows path "${ref.join('/')}" does not resolve` });
      }
    }
  });
export type FlakeLock = z.infer<typeof FlakeLockSchema>;

function reachable(lock: Pick<FlakeLock, 'root' | 'nodes'>): string[] {
  const seen = new Set<string>();
  const visit = (key: string): void => {
    if (seen.has(key) || !(key in lock.nodes)) return;
    seen.add(key);
    for (const ref of Object.values(lock.nodes[key]?.inputs ?? {})) if (typeof ref === 'string') visit(ref);
  };
  visit(lock.root);
  return [...seen];
}

/**
 * Resolve a follows path (absolute from the root node) to a node name, or null.
 * An empty path means the root flake itself. The depth bound stops follows cycles.
 */
export function resolveFollows(lock: Pick<FlakeLock, 'root' | 'nodes'>, path: string[], depth = 0): string | null {
  if (depth > 32) return null;
  let key = lock.root;
  for (const seg of path) {
    const ref = lock.nodes[key]?.inputs?.[seg];
    if (ref === undefined) return null;
    const next = typeof ref === 'string' ? ref : resolveFollows(lock, ref, depth + 1);
    if (next === null || !(next in lock.nodes)) return null;
    key = next;
  }
  return key;
}

export function parseLock(text: string, file: string): FlakeLock {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new UserError(`${file}: not valid JSON (${oneLine((e as Error).message)})`);
  }
  const r = FlakeLockSchema.safeParse(data);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  if (!issue) throw new UserError(`${file}: not a valid flake.lock`);
  const field = formatPath(issue.path);
  throw new UserError(`${file}: ${field ? `${field}: ` : ''}${describeIssue(issue, data)}`);
}

function describeIssue(issue: z.core.$ZodIssue, data: unknown): string {
  if (issue.code === 'invalid_type') {
    return valueAt(data, issue.path) === undefined ? 'is missing' : `expected ${article(issue.expected)}`;
  }
  if (issue.code === 'invalid_value') return `expected ${issue.values.map((v) => String(v)).join(' or ')}`;
  if (issue.code === 'invalid_union') return 'expected a node name or a follows path (array of input names)';
  if (issue.code === 'too_small') return `expected a number >= ${String(issue.minimum)}`;
  return oneLine(issue.message);
}

function article(expected: string): string {
  const word = expected === 'record' ? 'object' : expected;
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}

function valueAt(data: unknown, path: PropertyKey[]): unknown {
  let v = data;
  for (const seg of path) {
    if (Array.isArray(v) && typeof seg === 'number') v = v[seg];
    else if (isRecord(v) && typeof seg === 'string') v = v[seg];
    else return undefined;
  }
  return v;
}

/** nodes.nix-openclaw.locked; odd names are quoted so the field can be found: nodes["a.b"].locked. */
function formatPath(path: PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z0-9_-]+$/.test(String(seg))) out += `${out ? '.' : ''}${String(seg)}`;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
