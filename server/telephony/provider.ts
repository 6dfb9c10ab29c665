/**
 * What the verification service needs from a voice provider. The Restcomm driver implements it over HTTP;
 * tests may implement it in process.
 */
export interface PlaceCallRequest {
  /** Caller ID in E.164; its last digits are the code. */
  from: string;
  /** Destination in E.164. */
  to: string;
  ringSeconds: number;
  /** Fetched by the provider only when the callee answers. */
  rcmlUrl: string;
  statusCallbackUrl: string;
  signal?: AbortSignal;
}

export interface PlacedCall {
  sid: string;
}

export interface TelephonyProvider {
  placeCall(request: PlaceCallRequest): Promise<PlacedCall>;
  /** Ends the call whatever its state; resolves also when the call is already over. */
  hangUp(sid: string, signal?: AbortSignal): Promise<void>;
}

/** Any failure to reach or use the provider. Its message is for operators' logs only, never for browsers. */
export class ProviderError extends Error {
  override name = 'ProviderError';
  constructor(
    message: string,
    readonly kind: 'timeout' | 'network' | 'auth' | 'rejected' | 'server' | 'malformed' | 'circuit-open',
    readonly httpStatus?: number,
  ) {
    super(message);
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
