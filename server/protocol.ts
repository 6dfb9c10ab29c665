/**
 * The shapes of the HTTP API that the element and the server share. Types only, so the element's bundle
 * takes nothing from the server by importing them.
 */

/** A verification's status, as the API reports it. */
export type SessionStatus =
  | 'calling'
  | 'ringing'
  | 'answered'
  | 'call-ended'
  | 'verified'
  | 'expired'
  | 'locked'
  | 'failed';

/** What a browser may learn of a session: never the code, the hook token or the full caller ID. Times are ISO 8601. */
export interface PublicSession {
  id: string;
  status: SessionStatus;
  phone: string;
  codeLength: number;
  callerIdPrefix: string;
  expiresAt: string;
  resendAt: string;
  attemptsLeft: number;
}

/** The stable `code` of every problem answer; a client may branch on it. */
export type ProblemCode =
  | 'invalid_request'
  | 'invalid_phone'
  | 'unsupported_number_type'
  | 'country_not_allowed'
  | 'unknown_site'
  | 'origin_not_allowed'
  | 'rate_limited'
  | 'not_found'
  | 'method_not_allowed'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'wrong_code'
  | 'too_many_attempts'
  | 'already_verified'
  | 'expired'
  | 'provider_unavailable'
  | 'store_unavailable'
  | 'internal_error';
