// A command-line mistake gets one line and where to look, not the whole usage (README "Exit codes").
import type { Command } from 'commander';
import { err } from './output.js';

/** On `cmd` and every subcommand: "clawdeploy: unknown option '--x' (see clawdeploy plan --help)". */
export function oneLineParseErrors(cmd: Command, parents: string[] = []): void {
  const path = [...parents, cmd.name()];
  // Commander's suggestion ("(Did you mean --json?)") comes on a line of its own: joined.
  const oneLine = (text: string) =>
    text
      .replace(/^error: /, '')
      .replace(/\s*\n\s*/g, ' ')
      .trim();
  cmd.showHelpAfterError(false).configureOutput({ outputError: (text) => err(`${path[0]}: ${oneLine(text)} (see ${path.join(' ')} --help)`) });
  for (const sub of cmd.commands) oneLineParseErrors(sub, path);
}
