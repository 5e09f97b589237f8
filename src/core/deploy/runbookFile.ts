// Reads a reviewed runbook's JSON sidecar: a file that cannot be read is bad input naming it
// (exit 2); what is in it is judged by parseRunbook (an invalid runbook is refused, exit 3).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../errors.js';
import { fileProblem } from '../fileProblem.js';
import type { RunbookJson } from '../plan/runbook.js';
import { parseRunbook } from './runbookCheck.js';

export function readRunbookFile(file: string): RunbookJson {
  let text: string;
  try {
    text = readFileSync(resolve(file), 'utf8');
  } catch (e) {
    throw new UserError(`${file}: ${fileProblem(e)}`);
  }
  return parseRunbook(text, file);
}
