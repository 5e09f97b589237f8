// The action catalog as the system prompt shows it: one line per action (id, risk, where it
// runs, argument types, what it does), rendered from ACTIONS and their zod schemas so the
// prompt can never drift from what the tool layer accepts. Compact on purpose: it is sent
// with every request.
import { z } from 'zod';
import { ACTIONS, type ActionSpec } from '../plan/catalog.js';

type JsonSchema = {
  type?: string;
  enum?: unknown[];
  pattern?: string;
  allOf?: JsonSchema[];
  items?: JsonSchema;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
};

const patterns = (s: JsonSchema): string[] => [s.pattern, ...(s.allOf ?? []).map((p) => p.pattern)].filter((p): p is string => !!p);

/** A short type name for one argument: store-path, path, port, int 5-3600, "user"|"system", string[]. */
export function argType(s: JsonSchema): string {
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join('|');
  if (s.type === 'integer' || s.type === 'number') {
    const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : undefined);
    const max = s.maximum !== undefined && s.maximum < Number.MAX_SAFE_INTEGER ? s.maximum : undefined;
    const base = s.type === 'integer' ? 'int' : 'number';
    if (base === 'int' && min === 1 && max === 65535) return 'port';
    if (min !== undefined && max !== undefined) return `${base} ${min}-${max}`;
    return min !== undefined ? `${base}>=${min}` : base;
  }
  if (s.type === 'array') return `${s.items ? argType(s.items) : 'any'}[]`;
  if (s.type === 'string') {
    const p = patterns(s);
    if (p.some((x) => x.startsWith('^\\/nix\\/store\\/'))) return 'store-path';
    if (p.some((x) => x.startsWith('^\\/'))) return 'path';
    return 'string';
  }
  return s.type ?? 'any';
}

/** `name: type` for each argument, in schema order; optional ones marked with `?`. */
export function argSignature(args: z.ZodType): string {
  const schema = z.toJSONSchema(args) as JsonSchema;
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {})
    .map(([k, v]) => `${k}${required.has(k) ? '' : '?'}: ${argType(v)}`)
    .join(', ');
}

/** One line per catalog action: `id(args) risk on: title`, e.g. `activate(profile: path) mutate host: Activate …`. */
export function renderCatalog(actions: Record<string, ActionSpec> = ACTIONS as unknown as Record<string, ActionSpec>): string {
  return Object.values(actions)
    .map((a) => `${a.id}(${argSignature(a.args)}) ${a.risk} ${a.on}: ${a.title}`)
    .join('\n');
}
