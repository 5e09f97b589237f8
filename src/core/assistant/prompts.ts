// Loads the prompt templates (prompts/<name>.txt): a small header, `---`, then the body with
// {{variable}} placeholders. The header declares the variables, and the body must use exactly
// those, so a template and its callers cannot drift apart silently.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../paths.js';

export const PROMPTS_DIR = join(PACKAGE_ROOT, 'prompts');

export interface Template {
  name: string;
  version: string;
  /** The variables the body uses, in header order. */
  vars: string[];
  description?: string;
  body: string;
  /** `name@version`, recorded with every rendered prompt. */
  id: string;
}

const NAME = /^[a-z][a-z0-9-]*$/;
const VAR = /^[A-Za-z][A-Za-z0-9_]*$/;
/** Any `{{…}}`: a malformed one is an error, not literal text. */
export const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;
const HEADER_KEYS = new Set(['name', 'version', 'vars', 'description']);

/** Parses a template file's text; `file` only names it in errors. */
export function parseTemplate(text: string, file: string): Template {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const end = lines.indexOf('---');
  if (end < 0) throw new Error(`${file}: no header (expected "name: …", "version: …", "vars: …", then a line "---")`);
  const header = new Map<string, string>();
  for (const [i, line] of lines.slice(0, end).entries()) {
    if (!line.trim()) continue;
    const m = /^([a-z]+):\s*(.*)$/.exec(line);
    if (!m || !HEADER_KEYS.has(m[1]!)) throw new Error(`${file}:${i + 1}: bad header line ${JSON.stringify(line)} (keys: ${[...HEADER_KEYS].join(', ')})`);
    if (header.has(m[1]!)) throw new Error(`${file}:${i + 1}: header key ${m[1]} given twice`);
    header.set(m[1]!, m[2]!.trim());
  }
  const name = header.get('name') ?? '';
  const version = header.get('version') ?? '';
  if (!NAME.test(name)) throw new Error(`${file}: header needs a name (lowercase, dashes)`);
  if (!/^\d+(?:\.\d+)*$/.test(version)) throw new Error(`${file}: header needs a version like 1 or 1.2`);
  if (!header.has('vars')) throw new Error(`${file}: header needs "vars:" (comma-separated; empty when none)`);
  const vars = header
    .get('vars')!
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  for (const v of vars) if (!VAR.test(v)) throw new Error(`${file}: bad variable name ${JSON.stringify(v)} in vars`);
  if (new Set(vars).size !== vars.length) throw new Error(`${file}: a variable is declared twice`);

  const body = lines.slice(end + 1).join('\n');
  const used = new Set<string>();
  for (const m of body.matchAll(PLACEHOLDER)) {
    const v = m[1]!;
    if (!VAR.test(v)) throw new Error(`${file}: malformed placeholder {{${v}}}`);
    used.add(v);
  }
  const undeclared = [...used].filter((v) => !vars.includes(v));
  const unused = vars.filter((v) => !used.has(v));
  if (undeclared.length) throw new Error(`${file}: the body uses undeclared variables: ${undeclared.join(', ')}`);
  if (unused.length) throw new Error(`${file}: declared variables the body never uses: ${unused.join(', ')}`);
  const description = header.get('description');
  return { name, version, vars, body, id: `${name}@${version}`, ...(description ? { description } : {}) };
}

const cache = new Map<string, Template>();

/** Reads and parses prompts/<name>.txt (cached: templates ship with the program). */
export function loadTemplate(name: string, dir: string = PROMPTS_DIR): Template {
  if (!NAME.test(name)) throw new Error(`bad template name ${JSON.stringify(name)}`);
  const file = join(dir, `${name}.txt`);
  const hit = cache.get(file);
  if (hit) return hit;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new Error(`no prompt template ${name} (${file})`);
  }
  const t = parseTemplate(text, file);
  if (t.name !== name) throw new Error(`${file}: header names it ${t.name}, not ${name}`);
  cache.set(file, t);
  return t;
}
