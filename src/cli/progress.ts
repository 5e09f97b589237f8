// Progress of a deploy as plain lines on stderr (the ink session draws the same events).
import type { DeployEvent } from '../core/deploy/apply.js';
import { err } from './output.js';

/**
 * A printer of deploy events. A failed read step is not printed on its own: whoever ran it
 * reports it (the validation attempt, the health table, the smoke table). Validation attempts
 * come every 50 ms while a gateway restarts, so an attempt is printed only when what fails
 * changes, and when everything passes.
 */
export function progressPrinter(write: (line: string) => void = err): (e: DeployEvent) => void {
  let lastFailing: string | null = null;
  return (e) => {
    switch (e.type) {
      case 'phase':
        lastFailing = null;
        write(`== ${e.message}`);
        break;
      case 'step-start':
        if (e.step.risk !== 'read') write(`-> ${e.command}`);
        break;
      case 'step-end': {
        const o = e.outcome;
        if (o.status === 'ok') {
          if (e.step.risk !== 'read') write(`   ok (${(o.durationMs / 1000).toFixed(1)} s)`);
        } else if (!(e.step.risk === 'read' && o.status === 'failed')) {
          write(`   ${o.status.toUpperCase()}: ${e.step.action}${o.reason ? `: ${o.reason}` : ''}`);
        }
        break;
      }
      case 'validation': {
        const bad = e.results.filter((r) => !r.ok && !r.notRun);
        const pending = e.results.filter((r) => r.notRun).length;
        const failing = bad.map((r) => r.summary).join('; ');
        // A line when what fails changes; nothing while checks are still running and none fails.
        const line = bad.length ? `${bad.length} failing: ${failing}` : pending ? null : 'all checks pass';
        if (line === null || line === lastFailing) break;
        lastFailing = line;
        write(`   validation attempt ${e.attempt}: ${line}`);
        break;
      }
      case 'output':
        break;
    }
  };
}
