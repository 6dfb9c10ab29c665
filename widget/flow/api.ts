import type { ChannelName, PublicSession, SessionStatus } from '../../server/protocol.js';
import type { ErrorCode } from '../i18n/index.js';

/** Server session statuses, as in the HTTP API. */
export type { SessionStatus };

/** How a code reaches the phone. */
export type Channel = ChannelName;

/** A verification as the server shows it to browsers. Times are ISO 8601. */
export type SessionView = PublicSession;

/** A number typed in the page, or a challenge from the site's backend that names the number: never both. */
export type StartRequest = { siteKey: string; lang?: string; channel?: Channel } & (
  { phone: string; country?: string } | { challenge: string }
);

export interface CheckResult {
  status: 'verified';
  token: string;
  tokenExpiresAt: string;
  phone: string;
}

const KNOWN_CODES = new Set<ErrorCode>([
  'invalid_request',
  'invalid_phone',
  'unsupported_number_type',
  'country_not_allowed',
  'unknown_site',
  'origin_not_allowed',
  'rate_limited',
  'not_found',
  'wrong_code',
  'too_many_attempts',
  'already_verified',
  'expired',
  'invalid_challenge',
  'challenge_expired',
  'challenge_spent',
  'challenge_required',
  'channel_not_allowed',
  'provider_unavailable',
  'store_unavailable',
]);

const RETRYABLE = new Set<ErrorCode>(['rate_limited', 'provider_unavailable', 'store_unavailable', 'network', 'unknown', 'call_failed']);

export function isRetryable(code: ErrorCode): boolean {
  return RETRYABLE.has(code);
}

/**
 * A failed request, reduced to what the element branches on. The server's own wording is dropped on
 * purpose: users see the translated message for `code`.
 */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly code: ErrorCode,
    readonly status: number,
    readonly extra: { retryAfter?: number; attemptsLeft?: number; sessionStatus?: SessionStatus; limit?: string } = {},
  ) {
    super(code);
  }
  get retryable(): boolean {
    return isRetryable(this.code);
  }
}

/**
 * The one way the element talks to the server. Every call takes the caller's AbortSignal, so a newer
 * request (or the element leaving the page) cancels the older one.
 */
export class ApiClient {
  readonly endpoint: string;
  constructor(
    endpoint: string,
    private readonly fetchImpl: typeof fetch = (...args) => fetch(...args),
  ) {
    this.endpoint = endpoint.replace(/\/+$/, '');
  }

  /** `idempotencyKey` names the user's intent: a retry with the same key gets the first answer, never a second call. */
  start(body: StartRequest, signal: AbortSignal, idempotencyKey?: string): Promise<SessionView> {
    return this.#request('/v1/verifications', { method: 'POST', body, idempotencyKey }, signal);
  }

  status(id: string, signal: AbortSignal): Promise<SessionView> {
    return this.#request(`/v1/verifications/${encodeURIComponent(id)}`, { method: 'GET' }, signal);
  }

  check(id: string, code: string, signal: AbortSignal): Promise<CheckResult> {
    return this.#request(`/v1/verifications/${encodeURIComponent(id)}/check`, { method: 'POST', body: { code } }, signal);
  }

  /** A new code on the same session by another channel; `idempotencyKey` as for `start`. */
  fallback(id: string, channel: Exclude<Channel, 'flash'>, signal: AbortSignal, idempotencyKey?: string): Promise<SessionView> {
    return this.#request(
      `/v1/verifications/${encodeURIComponent(id)}/fallback`,
      { method: 'POST', body: { channel }, idempotencyKey },
      signal,
    );
  }

  eventsUrl(id: string): string {
    return `${this.endpoint}/v1/verifications/${encodeURIComponent(id)}/events`;
  }

  async #request<T>(path: string, init: { method: string; body?: unknown; idempotencyKey?: string }, signal: AbortSignal): Promise<T> {
    let response: Response;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    if (init.idempotencyKey) headers['idempotency-key'] = init.idempotencyKey;
    try {
      response = await this.fetchImpl(`${this.endpoint}${path}`, {
        method: init.method,
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        credentials: 'omit',
        cache: 'no-store',
        signal,
      });
    } catch (error) {
      if (signal.aborted) throw error;
      throw new ApiError('network', 0);
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (response.ok && body && typeof body === 'object') return body as T;
    throw problemToError(response, body);
  }
}

function problemToError(response: Response, body: unknown): ApiError {
  const problem = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const code =
    typeof problem.code === 'string' && KNOWN_CODES.has(problem.code as ErrorCode)
      ? (problem.code as ErrorCode)
      : codeForStatus(response.status);
  const retryAfter = numberOr(problem.retryAfter) ?? numberOr(response.headers.get('retry-after'));
  return new ApiError(code, response.status, {
    retryAfter,
    attemptsLeft: numberOr(problem.attemptsLeft),
    // RFC 9457 reserves `status` for the HTTP status, so the session's travels as `sessionStatus`.
    sessionStatus: typeof problem.sessionStatus === 'string' ? (problem.sessionStatus as SessionStatus) : undefined,
    // Which rate limit tripped: `resend` is the wait between two calls to one number.
    limit: typeof problem.limit === 'string' ? problem.limit : undefined,
  });
}

function codeForStatus(status: number): ErrorCode {
  if (status === 404) return 'not_found';
  if (status === 410) return 'expired';
  if (status === 423) return 'too_many_attempts';
  if (status === 429) return 'rate_limited';
  if (status === 502 || status === 504) return 'provider_unavailable';
  if (status === 503) return 'store_unavailable';
  if (status >= 400 && status < 500) return 'invalid_request';
  return 'unknown';
}

function numberOr(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}
