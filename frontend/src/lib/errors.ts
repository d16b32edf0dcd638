// Turns what the server (or the network) answered into a message for people.
// Never shows a stack trace, raw JSON or "[object Object]".

import type { components } from '../generated/openapi';
import { formatByteLimit } from './format';

export type FailureKind =
  | 'unauthenticated' // the session is gone: back to the login page
  | 'invalid_credentials' // a login with the wrong name or password
  | 'rate_limited' // too many attempts: retryAfterSeconds says when to retry
  | 'too_large' // 413
  | 'network' // no answer at all
  | 'aborted' // cancelled by the page itself
  | 'invalid_answer' // a 2xx answer the UI cannot read
  | 'http'; // any other error status

export class ApiError extends Error {
  readonly kind: FailureKind;
  readonly status: number;
  readonly code: string;
  readonly retryAfterSeconds: number | null;

  constructor(
    kind: FailureKind,
    message: string,
    options: { status?: number; code?: string; retryAfterSeconds?: number | null } = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.kind = kind;
    this.status = options.status ?? 0;
    this.code = options.code ?? kind;
    this.retryAfterSeconds = options.retryAfterSeconds ?? null;
  }
}

export type RequestContext = 'login' | 'upload' | 'default';

const MAX_DETAIL_LENGTH = 300;

/** The JSON object in an answer body, or null (empty, not JSON, not an object). */
export function parseJsonObject(text: string | null | undefined): Record<string, unknown> | null {
  if (typeof text !== 'string' || text.trim() === '') return null;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/**
 * A server's "detail" as a sentence: first line only, trimmed, capitalised,
 * ending with a full stop, at most 300 characters. Anything but a non-empty
 * string gives null.
 */
export function plainDetail(detail: unknown): string | null {
  if (typeof detail !== 'string') return null;
  let text = detail.split(/\r?\n/)[0]?.trim().replace(/\s+/g, ' ') ?? '';
  if (text === '') return null;
  if (text.length > MAX_DETAIL_LENGTH) text = `${text.slice(0, MAX_DETAIL_LENGTH - 1).trimEnd()}…`;
  text = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}

/**
 * Seconds to wait before retrying: the JSON "retry_after_seconds" first, then
 * the Retry-After header (seconds or an HTTP date). At least 1; null if unknown.
 */
export function retryAfterSeconds(
  header: string | null | undefined,
  body: Record<string, unknown> | null,
  now: number = Date.now(),
): number | null {
  const fromBody = body?.retry_after_seconds;
  if (typeof fromBody === 'number' && Number.isFinite(fromBody) && fromBody >= 0) {
    return Math.max(1, Math.ceil(fromBody));
  }
  if (typeof header !== 'string' || header.trim() === '') return null;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Math.max(1, Number.parseInt(text, 10));
  const date = Date.parse(text);
  if (Number.isNaN(date)) return null;
  return Math.max(1, Math.ceil((date - now) / 1000));
}

/**
 * Whether an answer means "not logged in (any more)": 401 from our routes,
 * or the bare 403 with an empty body that Orthanc's own routes (/series,
 * /studies, DICOMweb) give without credentials. Our routes' 403s carry JSON
 * (another origin, admins only) and are ordinary errors.
 */
export function isSessionLoss(status: number, bodyText: string | null | undefined): boolean {
  return status === 401 || (status === 403 && (bodyText ?? '').trim() === '');
}

export function rateLimitMessage(seconds: number | null): string {
  return seconds === null
    ? 'Too many attempts, try again later'
    : `Too many attempts, try again in ${seconds} s`;
}

// The field of a 413 that gives the route's limit, as the OpenAPI document
// names it (svelte-check fails if the document renames it).
const LIMIT_FIELD: keyof components['schemas']['TooLargeError'] = 'limit_bytes';

/** The limit in bytes that a 413 answer names, or null (absent, or not a whole number of bytes). */
export function limitBytes(body: Record<string, unknown> | null): number | null {
  const value = body?.[LIMIT_FIELD];
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : null;
}

function fallbackMessage(status: number): string {
  switch (status) {
    case 400:
      return 'The server could not read the request.';
    case 401:
      return 'Please log in again.';
    case 403:
      return 'The server refused the request.';
    case 404:
      return 'Not found on the server.';
    case 405:
      return 'The server does not accept this kind of request here.';
    case 413:
      return 'The file is too large for the server.';
    case 415:
      return 'The server does not accept this type of file.';
    case 422:
      return 'The server cannot analyse this file.';
    case 429:
      return rateLimitMessage(null);
    case 502:
    case 504:
      return `The server is not reachable at the moment (HTTP ${status}). Try again shortly.`;
    case 503:
      return 'The server is busy or starting. Try again shortly.';
    default:
      return status >= 500
        ? `The server hit an unexpected error (HTTP ${status}).`
        : `The request failed (HTTP ${status}).`;
  }
}

/** The ApiError for an error answer (status ≥ 400) in the given context. */
export function failureFromAnswer(
  status: number,
  bodyText: string | null | undefined,
  retryAfterHeader: string | null | undefined,
  context: RequestContext = 'default',
): ApiError {
  const body = parseJsonObject(bodyText);
  const code = typeof body?.error === 'string' ? body.error : `http_${status}`;
  // Our routes say what went wrong in "detail"; Orthanc's own in "Message".
  const detail = plainDetail(body?.detail) ?? plainDetail(body?.Message);

  if (status === 429 || code === 'too_many_attempts') {
    const seconds = retryAfterSeconds(retryAfterHeader, body);
    return new ApiError('rate_limited', rateLimitMessage(seconds), {
      status,
      code: 'too_many_attempts',
      retryAfterSeconds: seconds,
    });
  }
  if (context === 'login' && status === 401) {
    return new ApiError('invalid_credentials', 'Wrong user name or password.', { status, code });
  }
  if (isSessionLoss(status, bodyText)) {
    return new ApiError('unauthenticated', 'Your session has ended. Please log in again.', {
      status,
      code: 'unauthenticated',
    });
  }
  if (status === 413) {
    const limit = limitBytes(body);
    const message =
      limit !== null
        ? `The file is too large for the server (the limit is ${formatByteLimit(limit)}).`
        : 'The file is too large for the server.';
    return new ApiError('too_large', message, { status, code });
  }
  return new ApiError('http', detail ?? fallbackMessage(status), {
    status,
    code,
    retryAfterSeconds: status === 503 ? retryAfterSeconds(retryAfterHeader, body) : null,
  });
}

export function networkFailure(): ApiError {
  return new ApiError(
    'network',
    'Cannot reach the server. Check the connection and try again.',
    { code: 'network' },
  );
}

export function abortedFailure(): ApiError {
  return new ApiError('aborted', 'Cancelled.', { code: 'aborted' });
}

export function invalidAnswer(): ApiError {
  return new ApiError('invalid_answer', 'The server sent an answer the page cannot read.', {
    code: 'invalid_answer',
  });
}

/** A message for anything thrown: ApiError's own, otherwise a generic sentence. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return 'Something went wrong in the page. Reload it and try again.';
}
