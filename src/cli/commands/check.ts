import { resolve } from 'node:path';
import { ExitCode } from '../../core/errors.js';
import { checkFlake } from '../../core/pipeline/checkFlake.js';
import { out } from '../output.js';

export async function checkCommand(opts: { flake: string; json?: boolean }): Promise<void> {
  const r = await checkFlake(resolve(opts.flake));
  const blocked = r.findings.some((f) => f.severity === 'block');
  if (opts.json) {
    out(JSON.stringify({ ok: !blocked, evaluated: r.evaluated, hosts: r.hosts.map((h) => h.name), findings: r.findings }, null, 2));
  } else {
    out(`check ${r.flakeDir}: ${r.evaluated ? `${r.hosts.length} host(s): ${r.hosts.map((h) => h.name).join(', ') || 'none'}` : 'stopped before evaluation'}`);
    for (const f of r.findings) {
      const where = f.file ? ` (${f.file}${f.line ? `:${f.line}` : ''})` : '';
      out(`  ${f.severity.toUpperCase().padEnd(5)} ${f.code}${where}: ${f.message}${f.fix ? `\n        fix: ${f.fix}` : ''}`);
    }
    out(blocked ? 'FAILED: blocking findings' : 'OK');
  }
  if (blocked) process.exitCode = ExitCode.blocked;
}
