// Reads a reviewed runbook's JSON sidecar: a file that cannot be read is bad input naming it
// (exit 2); what is in it is judged by parseRunbook (an invalid runbook is refused, exit 3).
import { readUserFile } from '../fileProblem.js';
import type { RunbookJson } from '../plan/runbook.js';
import { parseRunbook } from './runbookCheck.js';

export function readRunbookFile(file: string): RunbookJson {
  return parseRunbook(readUserFile(file), file);
}
