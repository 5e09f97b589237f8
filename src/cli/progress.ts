// Progress of a deploy as plain lines on stderr (the ink session draws the same events).
import type { DeployEvent } from '../core/deploy/apply.js';
import { err } from './output.js';

export function printEvent(e: DeployEvent): void {
  switch (e.type) {
    case 'phase':
      err(`== ${e.message}`);
      break;
    case 'step-start':
      if (e.step.risk !== 'read') err(`-> ${e.command}`);
      break;
    case 'step-end': {
      const o = e.outcome;
      if (o.status === 'ok') {
        if (e.step.risk !== 'read') err(`   ok (${(o.durationMs / 1000).toFixed(1)} s)`);
      } else {
        err(`   ${o.status.toUpperCase()}: ${e.step.action}${o.reason ? `: ${o.reason}` : ''}`);
      }
      break;
    }
    case 'validation': {
      const bad = e.results.filter((r) => !r.ok);
      err(`   validation attempt ${e.attempt}: ${bad.length ? `${bad.length} failing: ${bad.map((r) => r.summary).join('; ')}` : 'all checks pass'}`);
      break;
    }
    case 'output':
      break;
  }
}
