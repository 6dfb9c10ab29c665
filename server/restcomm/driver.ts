import { ProviderError } from '../telephony/provider.js';
import type { PlaceCallRequest, PlacedCall, TelephonyProvider } from '../telephony/provider.js';

export interface RestcommProviderOptions {
  /** Up to and excluding the API version, e.g. `https://cloud.restcomm.com/restcomm`. */
  baseUrl: string;
  accountSid: string;
  authToken: string;
  /** Restcomm's path version; Twilio-style servers use `2010-04-01`. */
  apiVersion?: string;
  /** Per request, covering the response body too. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** Operators need enough of an error body to diagnose; a whole HTML error page helps no one. */
const SNIPPET_CHARS = 200;

/**
 * The Restcomm Calls API as a TelephonyProvider.
 *
 * Creating a call is never retried: when a create fails or times out the call may still have been placed, and
 * a second attempt could ring the user twice with two different codes.
 */
export function createRestcommProvider(options: RestcommProviderOptions): TelephonyProvider {
  const base = options.baseUrl.replace(/\/+$/, '');
  const apiVersion = options.apiVersion ?? '2012-04-24';
  const timeoutMs = options.timeoutMs ?? 10_000;
  const doFetch = options.fetch ?? globalThis.fetch;
  const callsUrl = `${base}/${apiVersion}/Accounts/${encodeURIComponent(options.accountSid)}/Calls`;
  const authorization =
    'Basic ' + Buffer.from(`${options.accountSid}:${options.authToken}`, 'utf8').toString('base64');

  /** Error text may echo request data; the token must never reach a log line through it. */
  const redact = (text: string): string =>
    options.authToken ? text.split(options.authToken).join('[redacted]') : text;

  async function post(
    operation: string,
    url: string,
    form: Record<string, string>,
    signal: AbortSignal | undefined,
  ): Promise<{ status: number; body: string }> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    try {
      const response = await doFetch(url, {
        method: 'POST',
        headers: {
          authorization,
          accept: 'application/json',
          'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        },
        body: new URLSearchParams(form).toString(),
        // A redirect would replay a non-idempotent POST somewhere we were not configured to talk to.
        redirect: 'manual',
        signal: combined,
      });
      return { status: response.status, body: await response.text() };
    } catch (error) {
      // The caller gave up (client gone, shutdown): that is its decision, not a provider failure.
      if (signal?.aborted) throw signal.reason;
      if (timeout.aborted) {
        throw new ProviderError(
          `Restcomm ${operation}: no answer within ${timeoutMs} ms (outcome unknown, not retried)`,
          'timeout',
        );
      }
      throw new ProviderError(`Restcomm ${operation}: ${redact(describeNetworkError(error))}`, 'network');
    }
  }

  function failure(operation: string, status: number, body: string): ProviderError {
    const kind = status === 401 || status === 403 ? 'auth' : status >= 500 ? 'server' : 'rejected';
    const snippet = redact(body.replace(/\s+/g, ' ').trim()).slice(0, SNIPPET_CHARS);
    return new ProviderError(`Restcomm ${operation}: HTTP ${status}${snippet ? `: ${snippet}` : ''}`, kind, status);
  }

  return {
    async placeCall(request: PlaceCallRequest): Promise<PlacedCall> {
      const operation = 'create call';
      const { status, body } = await post(
        operation,
        `${callsUrl}.json`,
        {
          From: request.from,
          To: request.to,
          Url: request.rcmlUrl,
          Method: 'POST',
          Timeout: String(request.ringSeconds),
          StatusCallback: request.statusCallbackUrl,
          StatusCallbackMethod: 'POST',
          StatusCallbackEvent: 'initiated,ringing,answered,completed',
        },
        request.signal,
      );
      if (status < 200 || status > 299) throw failure(operation, status, body);
      const sid = sidOf(body);
      if (!sid) {
        const snippet = redact(body.replace(/\s+/g, ' ').trim()).slice(0, SNIPPET_CHARS);
        throw new ProviderError(`Restcomm ${operation}: HTTP ${status} without a call sid: ${snippet}`, 'malformed', status);
      }
      return { sid };
    },

    async hangUp(sid: string, signal?: AbortSignal): Promise<void> {
      const operation = 'hang up';
      const { status, body } = await post(
        operation,
        `${callsUrl}/${encodeURIComponent(sid)}.json`,
        { Status: 'completed' },
        signal,
      );
      if (status >= 200 && status <= 299) return;
      // Unknown (Restcomm answers 406, other servers 404) and already over (410) both mean nothing is ringing.
      if (status === 404 || status === 406 || status === 410) return;
      throw failure(operation, status, body);
    },
  };
}

/**
 * The sid of a created call. Restcomm answers one call record, or a list of them when the destination forks
 * into several branches; any branch identifies the call.
 */
function sidOf(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const record: unknown = Array.isArray(parsed) ? parsed[0] : parsed;
  if (typeof record !== 'object' || record === null) return undefined;
  const sid = (record as { sid?: unknown }).sid;
  return typeof sid === 'string' && sid.trim() !== '' ? sid : undefined;
}

/** fetch hides the useful part (ECONNREFUSED, ENOTFOUND, a TLS failure) in `cause`. */
function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return `${error.message}: ${typeof code === 'string' ? `${code} ` : ''}${cause.message}`.trim();
  }
  return error.message;
}
