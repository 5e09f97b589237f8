// One redactor for everything this process prints: token rules plus the exact values of
// secret-looking variables in clawdeploy's own environment (API keys) and of the values the
// user registers (CLAWDEPLOY_REDACT_ENV, CLAWDEPLOY_REDACT_FILE).
import { createRedactor, type Redactor } from '../core/redact/index.js';
import { registeredValues } from '../core/redact/registered.js';

let shared: Redactor | undefined;

export function screenRedactor(): Redactor {
  shared ??= createRedactor({ env: process.env, knownValues: registeredValues(process.env) });
  return shared;
}
