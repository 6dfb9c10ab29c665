/**
 * What the verification service needs from a telephony provider. The Restcomm driver implements it over HTTP;
 * tests may implement it in process.
 */
export interface PlaceCallRequest {
  /**
   * Caller ID in E.164. For a flash call its last digits are the code; a call meant to be answered (the voice
   * channel) comes from one fixed caller ID and says the code through its RCML instead.
   */
  from: string;
  /** Destination in E.164. */
  to: string;
  /** How long it rings unanswered: a flash call briefly, a call meant to be answered longer. */
  ringSeconds: number;
  /** Fetched by the provider only when the callee answers; says the code. */
  rcmlUrl: string;
  statusCallbackUrl: string;
  signal?: AbortSignal;
}

export interface PlacedCall {
  sid: string;
}

export interface SendSmsRequest {
  /** Sender: a number in E.164 or an alphanumeric sender ID, as the account allows. */
  from: string;
  /** Destination in E.164. */
  to: string;
  /** One message's worth (`fitsOneSms` in sms-text.ts); a longer body is refused before anything is sent. */
  body: string;
  signal?: AbortSignal;
}

export interface SentSms {
  sid: string;
}

export interface TelephonyProvider {
  placeCall(request: PlaceCallRequest): Promise<PlacedCall>;
  /** Ends the call whatever its state; resolves also when the call is already over. */
  hangUp(sid: string, signal?: AbortSignal): Promise<void>;
  /**
   * Sends one text message. Never retried, for the same reason as `placeCall`: a failure other than a refusal
   * may follow a message that was sent. A provider without it cannot offer the SMS channel.
   */
  sendSms?(request: SendSmsRequest): Promise<SentSms>;
}

export interface ProviderErrorDetails {
  /**
   * The provider certainly did not act on the request: it answered that it would not (a 4xx), or the request
   * never reached it (a connection refused, a name that does not resolve, an open circuit, a text too long to
   * send). Anything else (a timeout, a reset connection, a 5xx, a 2xx without a sid) leaves it unknown whether
   * a call was placed or a text sent.
   */
  refused?: boolean;
  /** The provider's own error code, when its answer carried one. */
  providerCode?: string;
  /** The provider's own error message, redacted: no numbers, URLs or credentials. */
  providerMessage?: string;
}

/**
 * Any failure to reach or use the provider. Its message and details are for operators' logs only, never for
 * browsers, and carry nothing of the request (no caller ID, hook URL or credentials).
 */
export class ProviderError extends Error {
  override name = 'ProviderError';
  readonly refused: boolean;
  readonly providerCode?: string;
  readonly providerMessage?: string;
  constructor(
    message: string,
    readonly kind: 'timeout' | 'network' | 'auth' | 'rejected' | 'server' | 'malformed' | 'circuit-open',
    readonly httpStatus?: number,
    details: ProviderErrorDetails = {},
  ) {
    super(message);
    this.refused = details.refused ?? false;
    if (details.providerCode !== undefined) this.providerCode = details.providerCode;
    if (details.providerMessage !== undefined) this.providerMessage = details.providerMessage;
  }
}

/** Call progress as the verification service sees it, whatever words the provider used. */
export type CallProgress = 'initiated' | 'ringing' | 'answered' | 'completed';

export interface CallStatusEvent {
  sid: string;
  progress: CallProgress;
  /** The provider's ordering of the events of one call, where it sends one. */
  sequence?: number;
  durationSeconds?: number;
  /** On the final event: how the call ended (`completed`, `busy`, `no-answer`, `failed`, `canceled`, `not-found`). */
  outcome?: string;
}
