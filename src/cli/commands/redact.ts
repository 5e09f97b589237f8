import { createReadStream, existsSync, statSync } from 'node:fs';
import { UserError } from '../../core/errors.js';
import { runRedactFilter } from '../../core/redact/index.js';
import { registeredValues } from '../../core/redact/registered.js';

export async function redactCommand(file?: string): Promise<void> {
  if (file && file !== '-') {
    if (!existsSync(file)) throw new UserError(`${file}: no such file`);
    if (!statSync(file).isFile()) throw new UserError(`${file}: not a regular file`);
  }
  const input = file && file !== '-' ? createReadStream(file) : process.stdin;
  await runRedactFilter(input, process.stdout, { env: process.env, knownValues: registeredValues(process.env) });
}
