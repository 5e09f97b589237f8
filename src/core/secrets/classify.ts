// What a literal at a secret-bearing option is: a live secret, a placeholder, or fine.
import { findSecrets } from './match.js';
import { isPlaceholder, isPathLike } from './mask.js';

export type LiteralVerdict = 'secret' | 'placeholder' | 'ok';

export function classifyLiteral(value: string): LiteralVerdict {
  const v = value.trim();
  // Empty, or a runtime path (/run/agenix/…): nothing leaks. A UUID here is a secret too.
  if (v === '' || isPathLike(v)) return 'ok';
  // Token-shaped values are live even when they say FAKE: the shape is what leaks.
  if (findSecrets(v).length > 0) return 'secret';
  return isPlaceholder(v) ? 'placeholder' : 'secret';
}
