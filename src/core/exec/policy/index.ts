export { loadPolicy, POLICY_FILE } from './load.js';
export { createPolicy, NO_RULE, type Policy, type Proposal } from './evaluate.js';
export { DEFAULT_RULES } from './default.js';
export { PolicyRule, PolicyFile, Condition, Example, type ParsedRule } from './schema.js';
