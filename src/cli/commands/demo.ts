import { runDemo } from '../../demo/demo.js';
import { screenRedactor } from '../redactor.js';
import { out, err } from '../output.js';

export async function demoCommand(opts: { dir?: string }): Promise<void> {
  const redactor = screenRedactor();
  const r = await runDemo({ dir: opts.dir, redact: (s) => redactor.redact(s), log: (l) => err(l) });
  out(r.markdown);
  err(`runbook: ${r.runbookPath} (JSON sidecar beside it); example flake: ${r.flakeDir}`);
  err(`try: node bin/clawdeploy.mjs hosts --flake ${r.flakeDir}`);
}
