// Every byte the CLI prints goes through the redactor: the screen is a sink like any other.
import { screenRedactor } from './redactor.js';

export function out(text: string): void {
  process.stdout.write(screenRedactor().redact(text.endsWith('\n') ? text : `${text}\n`));
}

export function err(text: string): void {
  process.stderr.write(screenRedactor().redact(text.endsWith('\n') ? text : `${text}\n`));
}
