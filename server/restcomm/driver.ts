import { ProviderError } from '../telephony/provider.js';
import { restcommErrorSummary } from './error-body.js';
import { fitsOneSms, smsEncoding } from '../telephony/sms-text.js';
import type { PlaceCallRequest, PlacedCall, SendSmsRequest, SentSms, TelephonyProvider } from '../telephony/provider.js';

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

/**
 * Network failures that happen before a request is sent: nothing reached Restcomm, so no call exists. A reset
 * or closed connection may come after Restcomm read the request, and is not among them.
 */
const NOT_SENT =
  /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EAI_NONAME|EHOSTUNREACH|ENETUNREACH|UND_ERR_CONNECT_TIMEOUT|ERR_TLS_\w+|CERT_\w+|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_\w+)$/;

/**
 * The Restcomm Calls and SMS APIs as a TelephonyProvider.
 *
 * Creating a call or sending a text is never retried: when a create fails or times out the call may still have
 * been placed (or the text sent), and a second attempt could reach the user twice with two different codes.
 */
export function createRestcommProvider(options: RestcommProviderOptions): Required<TelephonyProvider> {
  const base = options.baseUrl.replace(/\/+$/, '');
  const apiVersion = options.apiVersion ?? '2012-04-24';
  const timeoutMs = options.timeoutMs ?? 10_000;
  const doFetch = options.fetch ?? globalThis.fetch;
  const accountUrl = `${base}/${apiVersion}/Accounts/${encodeURIComponent(options.accountSid)}`;
  const callsUrl = `${accountUrl}/Calls`;
  const authorization = 'Basic ' + Buffer.from(`${options.accountSid}:${options.authToken}`, 'utf8').toString('base64');

  /** Never to appear in a log line, whatever an error answer echoes. */
  const secrets = [options.authToken, authorization.slice('Basic '.length)];

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
        throw new ProviderError(`Restcomm ${operation}: no answer within ${timeoutMs} ms (outcome unknown, not retried)`, 'timeout');
      }
      const code = networkErrorCode(error);
      throw new ProviderError(`Restcomm ${operation}: ${code ?? 'network error'}`, 'network', undefined, {
        refused: code !== undefined && NOT_SENT.test(code),
      });
    }
  }

  /**
   * A 4xx is Restcomm saying it will not place this call or send this text (bad number, bad credentials,
   * account off, SMS limit reached), so the caller may give the user's limits back. A 5xx says nothing
   * certain: the call or text may exist.
   */
  function failure(operation: string, status: number, body: string): ProviderError {
    const { code, message } = restcommErrorSummary(body, secrets);
    // Over the account's SMS limit is a refusal of this text, not a sign the credentials or Restcomm are unwell.
    const overLimit = status === 403 && code === 'SMS_LIMIT_EXCEEDED';
    const kind = overLimit ? 'rejected' : status === 401 || status === 403 ? 'auth' : status >= 500 ? 'server' : 'rejected';
    const said = [code, message].filter(Boolean).join(': ');
    return new ProviderError(`Restcomm ${operation}: HTTP ${status}${said ? ` (${said})` : ''}`, kind, status, {
      refused: status >= 400 && status < 500,
      ...(code ? { providerCode: code } : {}),
      ...(message ? { providerMessage: message } : {}),
    });
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
      // The call may well exist: nothing of the body is repeated, since a 2xx body is the call record itself.
      if (!sid) throw new ProviderError(`Restcomm ${operation}: HTTP ${status} without a call sid`, 'malformed', status);
      return { sid };
    },

    async sendSms(request: SendSmsRequest): Promise<SentSms> {
      const operation = 'send SMS';
      // Restcomm would cut a longer body short (to 159 characters) and the code or WebOTP line with it.
      if (!fitsOneSms(request.body)) {
        throw new ProviderError(`Restcomm ${operation}: the text does not fit one message, not sent`, 'rejected', undefined, {
          refused: true,
        });
      }
      const encoding = smsEncoding(request.body);
      const { status, body } = await post(
        operation,
        `${accountUrl}/SMS/Messages.json`,
        {
          From: request.from,
          To: request.to,
          Body: request.body,
          // GSM is Restcomm's default; anything outside its alphabet must be sent as UCS-2 or arrives garbled.
          ...(encoding === 'UCS-2' ? { Encoding: encoding } : {}),
        },
        request.signal,
      );
      if (status < 200 || status > 299) throw failure(operation, status, body);
      const sid = sidOf(body);
      if (!sid) throw new ProviderError(`Restcomm ${operation}: HTTP ${status} without a message sid`, 'malformed', status);
      return { sid };
    },

    async hangUp(sid: string, signal?: AbortSignal): Promise<void> {
      const operation = 'hang up';
      const { status, body } = await post(operation, `${callsUrl}/${encodeURIComponent(sid)}.json`, { Status: 'completed' }, signal);
      if (status >= 200 && status <= 299) return;
      // Unknown (Restcomm answers 406, other servers 404) and already over (410) both mean nothing is ringing.
      if (status === 404 || status === 406 || status === 410) return;
      throw failure(operation, status, body);
    },
  };
}

/**
 * The sid of a created call or message. Restcomm answers one record, or for a call a list of them when the
 * destination forks into several branches; any branch identifies the call.
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

/**
 * fetch hides the useful part (ECONNREFUSED, ENOTFOUND, a TLS failure) in `cause`, sometimes one level deeper
 * (an AggregateError of each address tried). Only the code is kept: messages may name the host and port.
 */
function networkErrorCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const nested = (current as { errors?: unknown[] }).errors?.[0];
    current = (current as { cause?: unknown }).cause ?? nested;
  }
  return undefined;
}
