// Secret values the user registers, masked exactly wherever clawdeploy writes (screen, model,
// audit log, records), like a CI system's masked variables:
//   CLAWDEPLOY_REDACT_ENV=DB_DSN,SMTP_LOGIN   names of variables whose values are secret
//   CLAWDEPLOY_REDACT_FILE=~/.config/clawdeploy/redact   one secret value per line (# comments)
// Secret-looking variables (KEY, SECRET, TOKEN, PASS) are masked without registration. A value
// too short to mask safely is an error, not a silent skip: the user believes it is masked.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { UserError } from '../errors.js';

export const MIN_REGISTERED_LENGTH = 8;

export interface Registered {
  value: string;
  label: string;
}

function expandHome(path: string, env: NodeJS.ProcessEnv): string {
  return path === '~' || path.startsWith('~/') ? `${env['HOME'] || homedir()}${path.slice(1)}` : path;
}

/** The values registered through the environment; throws a one-line UserError naming what is wrong. */
export function registeredValues(env: NodeJS.ProcessEnv = process.env): Registered[] {
  const out: Registered[] = [];
  for (const name of (env['CLAWDEPLOY_REDACT_ENV'] ?? '').split(/[\s,]+/).filter(Boolean)) {
    const value = env[name];
    // Named but not set: the user believes a value is masked that this process never saw
    // (a typo, or a variable not passed to this job).
    if (value === undefined) throw new UserError(`CLAWDEPLOY_REDACT_ENV: ${name} is not set, so its value cannot be masked (set it, or take it out of CLAWDEPLOY_REDACT_ENV)`);
    if (value === '') continue; // set to nothing (a CI secret a fork does not get): nothing can leak
    if (value.trim().length < MIN_REGISTERED_LENGTH)
      throw new UserError(`CLAWDEPLOY_REDACT_ENV: the value of ${name} is shorter than ${MIN_REGISTERED_LENGTH} characters and cannot be masked without masking ordinary text`);
    out.push({ value, label: name });
  }
  const file = env['CLAWDEPLOY_REDACT_FILE'];
  if (file) {
    const path = expandHome(file, env);
    const st = existsSync(path) ? statSync(path) : null;
    if (!st) throw new UserError(`CLAWDEPLOY_REDACT_FILE ${file}: no such file`);
    if (st.isDirectory()) throw new UserError(`CLAWDEPLOY_REDACT_FILE ${file}: is a directory, not a file of values (one per line)`);
    if (!st.isFile()) throw new UserError(`CLAWDEPLOY_REDACT_FILE ${file}: not a regular file`);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw new UserError(`CLAWDEPLOY_REDACT_FILE ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    text.split(/\r?\n/).forEach((line, i) => {
      const value = line.trim();
      if (!value || value.startsWith('#')) return;
      if (value.length < MIN_REGISTERED_LENGTH) throw new UserError(`${file}:${i + 1}: a value shorter than ${MIN_REGISTERED_LENGTH} characters cannot be masked without masking ordinary text`);
      out.push({ value, label: 'registered' });
    });
  }
  return out;
}
