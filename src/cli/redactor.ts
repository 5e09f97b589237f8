// One redactor for everything this process prints: token rules plus the exact values of
// secret-looking variables in clawdeploy's own environment (API keys).
import { createRedactor, type Redactor } from '../core/redact/index.js';

let shared: Redactor | undefined;

export function screenRedactor(): Redactor {
  shared ??= createRedactor({ env: process.env });
  return shared;
}
