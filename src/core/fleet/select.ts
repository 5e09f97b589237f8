// Which hosts a command acts on, in colmena's `--on` syntax: comma-separated terms, each `@tag`,
// a glob over host names (`*`, `?`, `[...]`) or a plain name. Every term must match a host, so a
// typo never silently shrinks a rollout.
import picomatch from 'picomatch';
import { UserError } from '../errors.js';
import { Tag, type Host } from '../inventory/schema.js';

// Host names are Nix attribute names, deploy-rs's joined with "." (`node.profile`).
const NAME_CHAR = "[A-Za-z0-9_.'-]";
/** A name or glob: name characters, `*`, `?` and classes of name characters (`[a-c]`, `[!w]`); nothing picomatch would read as more (braces, extglobs). */
const TERM = new RegExp(`^(?:${NAME_CHAR}|[*?]|\\[[!^]?${NAME_CHAR}+\\])+$`);
const GLOB_CHARS = /[*?[]/;
// posix: `[!w]` negates as in a shell; dot: a name is no dotfile; the rest turns off what TERM rejects anyway.
const PICOMATCH = { posix: true, dot: true, nobrace: true, noextglob: true, noglobstar: true, nonegate: true, noquantifiers: true };

interface Term {
  text: string;
  kind: 'tag' | 'glob' | 'name';
  matches: (host: Host) => boolean;
}

/** A term as the user typed it, on one line whatever it holds. */
const shown = (text: string) => `'${JSON.stringify(text).slice(1, -1)}'`;

function parseTerm(text: string, selector: string): Term {
  if (text === '') throw new UserError(`--on ${shown(selector)}: empty term (separate host names, globs and @tags by single commas)`);
  if (text.startsWith('@')) {
    const tag = text.slice(1);
    if (!Tag.safeParse(tag).success) throw new UserError(`--on: ${shown(text)} is not a valid tag (letters, digits, "_" and "-", starting with a letter or digit)`);
    return { text, kind: 'tag', matches: (h) => (h.tags ?? []).includes(tag) };
  }
  if (!TERM.test(text)) throw new UserError(`--on: ${shown(text)} is not a host name, glob or @tag (names: letters, digits, "_", "-", "." and "'"; globs add *, ? and [...])`);
  if (!GLOB_CHARS.test(text)) return { text, kind: 'name', matches: (h) => h.name === text };
  const isMatch = picomatch(text, PICOMATCH);
  return { text, kind: 'glob', matches: (h) => isMatch(h.name) };
}

function noMatch(term: Term, hosts: Host[]): UserError {
  if (term.kind === 'tag') {
    const tags = [...new Set(hosts.flatMap((h) => h.tags ?? []))].sort();
    return new UserError(`--on: ${shown(term.text)} matches no host (${tags.length ? `tags: ${tags.join(', ')}` : 'no host has tags'})`);
  }
  return new UserError(`--on: ${shown(term.text)} matches no host (hosts: ${hosts.map((h) => h.name).join(', ') || 'none'})`);
}

/** The hosts `selector` names, in inventory order, each once; a UserError (exit 2) naming the term otherwise. */
export function selectHosts(selector: string, hosts: Host[]): Host[] {
  const texts = selector.split(',').map((t) => t.trim());
  if (texts.every((t) => t === '')) throw new UserError(`--on: empty selector (give host names, globs like 'eu-*' or tags like '@canary', separated by commas)`);
  // Every term is checked before any is matched: a malformed term is reported as such, wherever it stands.
  const terms = texts.map((t) => parseTerm(t, selector));
  const chosen = new Set<Host>();
  for (const term of terms) {
    const hit = hosts.filter(term.matches);
    if (!hit.length) throw noMatch(term, hosts);
    for (const h of hit) chosen.add(h);
  }
  return hosts.filter((h) => chosen.has(h));
}
