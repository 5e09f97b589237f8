// The tool layer: what the deploy flow (and later the model) uses to run catalog steps.
export { executeStep, type ExecuteOptions } from './executor.js';
export { runValidation, type ValidationOptions, type ValidationResult } from './validate.js';
export { openAuditLog, readAudit, auditPath, AUDIT_FILE, type FileAuditLog } from './audit.js';
export { parseCheck, redactCheck, CHECK_PARSERS, type CheckInput } from './checks.js';
export { loadPolicy, createPolicy, DEFAULT_RULES, POLICY_FILE, type Policy } from './policy/index.js';
export type * from './types.js';
