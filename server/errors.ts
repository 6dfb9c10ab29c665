import type { ContentfulStatusCode } from 'hono/utils/http-status';

import type { ProblemCode } from './protocol.js';

export type { ProblemCode };

const TITLES: Record<ProblemCode, string> = {
  invalid_request: 'The request is not valid.',
  invalid_phone: 'That is not a valid phone number.',
  unsupported_number_type: 'That kind of number cannot be verified by a call.',
  country_not_allowed: 'Numbers from that country are not accepted here.',
  unknown_site: 'Unknown site key.',
  origin_not_allowed: 'This page is not allowed to use this site key.',
  rate_limited: 'Too many requests. Try again later.',
  not_found: 'Not found.',
  method_not_allowed: 'Method not allowed.',
  payload_too_large: 'The request body is too large.',
  unsupported_media_type: 'Unsupported content type.',
  wrong_code: 'That code is not right.',
  too_many_attempts: 'Too many wrong codes. Start again.',
  already_verified: 'This verification is already complete.',
  expired: 'This verification has expired. Start again.',
  invalid_secret: 'Missing or wrong site secret.',
  invalid_challenge: 'That challenge is not valid for this site.',
  challenge_expired: 'This challenge has expired. Ask the site for a new one.',
  challenge_spent: 'This challenge was already used.',
  challenge_required: 'This site verifies only numbers it already knows, through a challenge.',
  challenge_with_phone: 'Send either a phone number or a challenge, not both.',
  channel_not_allowed: 'This site does not send codes that way.',
  provider_unavailable: 'The code could not be sent just now. Try again.',
  store_unavailable: 'The service is briefly unavailable. Try again.',
  internal_error: 'Something went wrong on our side.',
};

export { PROBLEM_CODES } from './schemas.js';

/** An error that becomes an RFC 9457 problem+json answer in the app's one `onError`. */
export class HttpProblem extends Error {
  override name = 'HttpProblem';
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ProblemCode,
    readonly detail?: string,
    /** Extra members of the problem object, such as `attemptsLeft`. */
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? TITLES[code]);
  }

  get title(): string {
    return TITLES[this.code];
  }

  toJSON(): Record<string, unknown> {
    // Extensions come first so none can overwrite a standard member.
    return {
      ...this.extra,
      type: `urn:flash-call-verify:problem:${this.code}`,
      title: this.title,
      status: this.status,
      code: this.code,
      retryable: RETRYABLE.has(this.code),
      ...(this.detail ? { detail: this.detail } : {}),
    };
  }
}

/** Whether the client may sensibly try the same thing again. */
export const RETRYABLE: ReadonlySet<ProblemCode> = new Set(['rate_limited', 'provider_unavailable', 'store_unavailable', 'internal_error']);
