// The one error class the providers throw: a kind the caller can branch on and a one-line
// message fit to show as is. Messages never carry the API key (it is scrubbed from anything
// the server sent back before it is quoted).
import type { ProviderConfig } from './types.js';

export type LlmErrorKind = 'auth' | 'rate-limit' | 'server' | 'timeout' | 'cancelled' | 'stream-cut' | 'bad-request' | 'bad-response' | 'network';

export class LlmError extends Error {
  constructor(
    readonly kind: LlmErrorKind,
    message: string,
    readonly status?: number,
    /** Milliseconds the server asked us to wait (retry-after / retry-after-ms), when it said. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'LlmError';
  }
}

export function isLlmError(e: unknown): e is LlmError {
  return e instanceof LlmError;
}

/** Worth another attempt, provided nothing has reached the caller yet. */
export function isRetryable(e: LlmError): boolean {
  return e.kind === 'rate-limit' || e.kind === 'server' || e.kind === 'network' || e.kind === 'stream-cut';
}

/** Both SDKs' APIError carry `status` and `headers`; duck-typed so this file needs neither SDK. */
interface ApiErrorLike {
  status?: unknown;
  headers?: unknown;
  message?: unknown;
  type?: unknown;
  /** Anthropic: error.message from the body. */
  apiMessage?: unknown;
  /** OpenAI: the body's error object. */
  error?: unknown;
}

/** The server's own words when there are some, not the SDK's "429 {json…}". */
function serverMessage(err: ApiErrorLike): string | undefined {
  if (typeof err.apiMessage === 'string' && err.apiMessage) return err.apiMessage;
  const body = err.error as { message?: unknown } | undefined;
  if (body && typeof body.message === 'string' && body.message) return body.message;
  return typeof err.message === 'string' ? err.message.replace(/^\d{3} /, '') : undefined;
}

/**
 * Turns whatever an SDK threw into an LlmError. Aborts are not decided here: the caller knows
 * whether its own timer or the user's signal fired, and checks that first.
 */
/** The credential a call sends, so that errors and retry messages can mask it, whichever it is. */
export function credentialOf(config: Pick<ProviderConfig, 'apiKey' | 'authToken'>): string | undefined {
  return config.apiKey ?? config.authToken;
}

export function toLlmError(e: unknown, label: string, secret?: string): LlmError {
  if (e instanceof LlmError) return e;
  const err = (e ?? {}) as ApiErrorLike;
  const status = typeof err.status === 'number' ? err.status : undefined;
  const detail = scrub(firstLine(serverMessage(err) ?? String(e)), secret);
  if (status !== undefined) {
    const wait = retryAfterMs(err.headers);
    if (status === 401 || status === 403) return new LlmError('auth', `${label} rejected the credentials (${status}): ${detail}`, status);
    if (status === 429) return new LlmError('rate-limit', `${label} is rate limiting (429): ${detail}`, status, wait);
    if (status >= 500) return new LlmError('server', `${label} server error (${status}): ${detail}`, status, wait);
    return new LlmError('bad-request', `${label} refused the request (${status}): ${detail}`, status);
  }
  // An error event inside an Anthropic stream: an APIError with no status but a type.
  if (err.type === 'overloaded_error' || err.type === 'api_error') return new LlmError('server', `${label} server error (${err.type}): ${detail}`);
  if (err.type === 'rate_limit_error') return new LlmError('rate-limit', `${label} is rate limiting: ${detail}`);
  if (e instanceof SyntaxError) return new LlmError('bad-response', `${label} sent something that is not JSON: ${detail}`);
  // APIConnectionError, undici's "fetch failed" / "terminated", ECONNRESET …
  const code = causeCode(e);
  return new LlmError('network', `${label} connection failed: ${detail}${code && !detail.includes(code) ? ` (${code})` : ''}`);
}

/** retry-after-ms (float ms) wins over retry-after (seconds, or an HTTP date). */
export function retryAfterMs(headers: unknown): number | undefined {
  const get = (name: string): string | null => {
    if (headers && typeof (headers as Headers).get === 'function') return (headers as Headers).get(name);
    const v = (headers as Record<string, unknown> | undefined)?.[name];
    return typeof v === 'string' ? v : null;
  };
  const ms = Number.parseFloat(get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = get('retry-after');
  if (raw === null) return undefined;
  const secs = Number.parseFloat(raw);
  if (Number.isFinite(secs) && secs >= 0) return secs * 1000;
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

/** ECONNREFUSED and friends sit a few causes deep under the SDK's "Connection error." */
function causeCode(e: unknown): string | undefined {
  for (let c = e, depth = 0; c && typeof c === 'object' && depth < 5; c = (c as { cause?: unknown }).cause, depth++) {
    const code = (c as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
  }
  return undefined;
}

function firstLine(s: string): string {
  const line = s.split('\n')[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

function scrub(s: string, secret?: string): string {
  return secret && secret.length >= 8 ? s.split(secret).join('[key]') : s;
}
