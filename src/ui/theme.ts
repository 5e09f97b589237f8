// Colours by meaning, not by name, so every panel agrees; NO_COLOR turns all of them off
// (and bold too: the spec asks for no escape codes at all).
export type Tone = 'ok' | 'bad' | 'warn' | 'info' | 'dim' | 'accent' | 'add' | 'del' | 'hunk';

export const TONE_COLOR: Readonly<Record<Tone, string>> = {
  ok: 'green',
  bad: 'red',
  warn: 'yellow',
  info: 'cyan',
  dim: 'gray',
  accent: 'magenta',
  add: 'green',
  del: 'red',
  hunk: 'cyan',
};

/** https://no-color.org: set and not empty means no colour. Read each time so tests can toggle it. */
export function colorOn(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env['NO_COLOR'];
  return v === undefined || v === '';
}
