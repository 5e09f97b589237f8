export { TOKEN_RULES, placeholder, PLACEHOLDER_RE, type TokenRule, type RuleKind } from './rules.js';
export { findSecrets, type SecretSpan } from './match.js';
export { isPublicValue, isAllowlisted } from './allowlist.js';
export { maskSecret, isPlaceholder } from './mask.js';
export { isSecretOptionPath } from './options.js';
export { classifyLiteral, type LiteralVerdict } from './classify.js';
export { scanSources, scanSourcesSync, scanNixOptions, type SourceFile, type ScanOptions } from './scanSources.js';
export { scanRendered, scanRenderedSync, type RenderedFile } from './scanRendered.js';
