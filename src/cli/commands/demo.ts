import { runDemo } from '../../demo/demo.js';
import { ExitCode } from '../../core/errors.js';
import { screenRedactor } from '../redactor.js';
import { progressPrinter } from '../progress.js';
import { out, err } from '../output.js';

export async function demoCommand(opts: { dir?: string; real?: boolean }): Promise<void> {
  const redactor = screenRedactor();
  const t0 = Date.now();
  const r = await runDemo({ dir: opts.dir, real: Boolean(opts.real), redactor, redact: (s) => redactor.redact(s), log: (l) => out(`\n### ${l}\n`), print: (t) => out(t), onEvent: progressPrinter() });
  out(`\n${r.ok ? 'The deploy succeeded, the smoke test passed and the rollback drill worked' : 'The demo did not complete cleanly: see above'} (${((Date.now() - t0) / 1000).toFixed(1)} s).`);
  err(`runbook: ${r.runbookPath} (JSON sidecar beside it); example flake: ${r.flakeDir}`);
  if (!r.ok) process.exitCode = ExitCode.failed;
}
