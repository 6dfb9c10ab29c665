import { z } from '@hono/zod-openapi';

/**
 * Every shape of the HTTP API, once. The routes validate with these, the types in `protocol.ts` are inferred
 * from them, and the OpenAPI document (`openapi.ts`) is generated from them. Answers are closed objects, so
 * the document's test that validates real answers fails when the server and the schema drift apart.
 */

export const SESSION_STATUSES = [
  'calling',
  'ringing',
  'answered',
  'call-ended',
  'sent',
  'verified',
  'expired',
  'locked',
  'failed',
] as const;

export const CHANNEL_NAMES = ['flash', 'voice', 'sms'] as const;

export const ChannelSchema = z.enum(CHANNEL_NAMES).openapi('Channel', {
  description:
    'How the code reaches the phone: `flash`, the last digits of the caller ID of a call that need not be answered; ' +
    '`voice`, a call that says the code when answered; `sms`, a text whose last line is `@<page host> #<code>` (WebOTP).',
});

/** The channels a fallback may switch to: a new flash call is a new verification. */
export const FallbackChannelSchema = z.enum(['voice', 'sms']);

export const SessionStatusSchema = z.enum(SESSION_STATUSES).openapi('SessionStatus');

/** Statuses a session never leaves: the event stream ends on them. */
export const FINAL_STATUSES = ['verified', 'expired', 'locked', 'failed'] as const satisfies ReadonlyArray<
  (typeof SESSION_STATUSES)[number]
>;

export const PROBLEM_CODES = [
  'invalid_request',
  'invalid_phone',
  'unsupported_number_type',
  'country_not_allowed',
  'unknown_site',
  'origin_not_allowed',
  'rate_limited',
  'not_found',
  'method_not_allowed',
  'payload_too_large',
  'unsupported_media_type',
  'wrong_code',
  'too_many_attempts',
  'already_verified',
  'expired',
  'invalid_secret',
  'invalid_challenge',
  'challenge_expired',
  'challenge_spent',
  'challenge_required',
  'challenge_with_phone',
  'channel_not_allowed',
  'provider_unavailable',
  'store_unavailable',
  'internal_error',
] as const;

export const RATE_LIMITS = ['resend', 'phone', 'ip', 'prefix', 'site', 'site-country', 'channel', 'siteverify'] as const;

export const SITEVERIFY_ERRORS = [
  'missing-input-secret',
  'invalid-input-secret',
  'missing-input-response',
  'invalid-input-response',
  'timeout-or-duplicate',
  'bad-request',
] as const;

const E164 = /^\+[1-9][0-9]{1,14}$/;
/** A number as a challenge shows it: country code and last digits only (`+44 •••• ••3456`). */
const MASKED = /^\+[1-9][0-9]{0,2}[ •0-9-]*•[ •0-9-]*$/;
const ACTION = /^[A-Za-z0-9_.-]{1,64}$/;
/** The number a session calls as a browser may see it: E.164 when the visitor typed it, masked when a challenge chose it. */
const SessionPhoneSchema = z
  .string()
  .regex(new RegExp(`${E164.source}|${MASKED.source}`))
  .openapi({ description: 'The number being called: E.164 when typed, masked as `phoneMasked` when it came from a challenge.' });
const dateTime = () => z.string().openapi({ format: 'date-time' });

/** A session id as it appears in a path; anything else is a 404 before the store is asked. */
export const SessionIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{16,64}$/)
  .openapi({ param: { name: 'id', in: 'path', required: true } });

export const IdempotencyKeySchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\x21-\x7e]+$/)
  .openapi({ description: 'Repeats with the same key get the first answer and place no second call.' });

export const StartRequestSchema = z
  .object({
    siteKey: z
      .string()
      .min(1)
      .max(128)
      .openapi({ description: "The site's public key.", examples: ['pk_sandbox'] }),
    phone: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .openapi({
        description: 'The number as typed: international (`+44…`) or national, read in `country`. Absent with `challenge`.',
        examples: ['+447418301234', '07418 301234'],
      }),
    challenge: z.string().min(1).max(2048).optional().openapi({
      description: "A challenge the site's backend created (`POST /v1/challenges`): the number comes from it, so `phone` must be absent.",
    }),
    // An empty or null optional field counts as absent, as forms and some clients send them.
    country: z
      .string()
      .max(2)
      .nullish()
      .openapi({ description: 'ISO 3166 alpha-2 region for a national number.', examples: ['GB'] }),
    lang: z
      .string()
      .max(35)
      .nullish()
      .openapi({ description: 'BCP 47 language for the spoken code.', examples: ['en-GB'] }),
    channel: ChannelSchema.nullish().openapi({
      description: "How to send the first code; `flash` when absent. One of the site's `channels`.",
    }),
  })
  .openapi('StartRequest');

export const FallbackRequestSchema = z
  .object({
    channel: FallbackChannelSchema.openapi({ description: "One of the site's `channels` other than `flash`." }),
  })
  .openapi('FallbackRequest');

export const VerificationSchema = z
  .strictObject({
    id: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
    status: SessionStatusSchema,
    phone: SessionPhoneSchema,
    channel: ChannelSchema,
    channels: z
      .array(ChannelSchema)
      .min(1)
      .openapi({ description: "The site's channels, in its order: those besides `flash` are what a fallback may ask for." }),
    codeLength: z.int().min(4).max(8).openapi({
      description: "How many digits the user types: the caller ID's last ones for `flash`, the code said or texted otherwise.",
    }),
    callerIdPrefix: z
      .string()
      .regex(/^\+[0-9]+$/)
      .optional()
      .openapi({ description: 'For `flash` only: the caller ID without its code digits; the element shows it before the code boxes.' }),
    expiresAt: dateTime(),
    resendAt: dateTime().openapi({ description: 'From when the same number may be sent a new code, by any channel.' }),
    attemptsLeft: z.int().min(0),
  })
  .openapi('Verification', {
    description: 'A verification as a browser may see it: never the code, the hook token or the full caller ID.',
  });

export const CheckRequestSchema = z
  .object({
    code: z
      .string()
      .min(1)
      .max(16)
      .regex(/^[0-9]+$/)
      .openapi({ description: 'The last `codeLength` digits of the caller ID.' }),
  })
  .openapi('CheckRequest');

export const CheckResultSchema = z
  .strictObject({
    status: z.literal('verified'),
    token: z
      .string()
      .regex(/^fcvt_[A-Za-z0-9_-]{20,64}$/)
      .openapi({ description: "Single-use; the site's backend redeems it with siteverify." }),
    tokenExpiresAt: dateTime(),
    phone: SessionPhoneSchema,
  })
  .openapi('CheckResult');

export const ChallengeRequestSchema = z
  .object({
    // Checked by the service, not here, so a missing secret is `invalid_secret` like a wrong one.
    secret: z.string().max(256).optional().openapi({ description: "The site's secret key. Never send it from a browser." }),
    siteKey: z
      .string()
      .min(1)
      .max(128)
      .optional()
      .openapi({ description: 'Which site, when several share this secret; otherwise the secret names it.' }),
    phone: z
      .string()
      .regex(E164)
      .openapi({ description: 'The number the site already holds for this user, E.164.', examples: ['+447418301234'] }),
    action: z
      .string()
      .regex(ACTION)
      .openapi({ description: 'What is being confirmed: up to 64 of `A-Z a-z 0-9 _ . -`.', examples: ['login', 'payment'] }),
    context: z
      .string()
      .max(255)
      .nullish()
      .openapi({ description: "The site's own short string, returned by siteverify (a payment id, say).", examples: ['pay_8f2c'] }),
    lang: z
      .string()
      .max(35)
      .nullish()
      .openapi({ description: 'BCP 47 language for the spoken code.', examples: ['en-GB'] }),
  })
  .openapi('ChallengeRequest');

export const ChallengeSchema = z
  .strictObject({
    challenge: z
      .string()
      .regex(/^fcvc_[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/)
      .openapi({ description: "Opaque; put it in the element's `challenge` attribute. Valid until `expiresAt`, spent once it verifies." }),
    expiresAt: dateTime(),
    phoneMasked: z
      .string()
      .regex(MASKED)
      .openapi({ description: 'The number as the element shows it.', examples: ['+44 •••• ••3456'] }),
  })
  .openapi('Challenge');

/**
 * Loose on purpose: siteverify answers every token with `success` and reCAPTCHA's error codes, never a
 * problem, so the service judges the values itself (a missing or non-string secret is `missing-input-secret`).
 */
export const SiteverifyRequestSchema = z
  .object({
    secret: z.unknown().optional().openapi({ type: 'string', description: "The site's secret key. Never send it from a browser." }),
    token: z.unknown().optional().openapi({ type: 'string', description: 'The token the element put in the form.' }),
    response: z.unknown().optional().openapi({ type: 'string', description: 'Alias of `token`, as reCAPTCHA and Turnstile name it.' }),
  })
  .openapi('SiteverifyRequest');

export const SiteverifySuccessSchema = z
  .strictObject({
    success: z.literal(true),
    phone: z.string().regex(E164).openapi({ description: 'The verified number, E.164.' }),
    siteKey: z.string(),
    verifiedAt: dateTime(),
    hostname: z.string().openapi({ description: 'Host of the page the verification was made on.' }),
    action: z
      .string()
      .nullable()
      .openapi({ description: "The challenge's `action`; null for a number the visitor typed. Check it before acting." }),
    context: z.string().nullable().openapi({ description: "The challenge's `context`; null when it had none or for a typed number." }),
  })
  .openapi('SiteverifySuccess');

export const SiteverifyErrorSchema = z.enum(SITEVERIFY_ERRORS);

export const SiteverifyFailureSchema = z
  .strictObject({
    success: z.literal(false),
    'error-codes': z.array(SiteverifyErrorSchema).min(1),
  })
  .openapi('SiteverifyFailure');

export const SiteverifyResultSchema = z.union([SiteverifySuccessSchema, SiteverifyFailureSchema]).openapi('SiteverifyResult');

export const ProblemCodeSchema = z.enum(PROBLEM_CODES);

export const ProblemSchema = z
  .strictObject({
    type: z.string().regex(/^urn:flash-call-verify:problem:[a-z_]+$/),
    title: z.string(),
    status: z.int().min(400).max(599),
    code: ProblemCodeSchema,
    retryable: z.boolean().openapi({ description: 'Whether the same request may work later.' }),
    detail: z.string().optional(),
    field: z.string().optional().openapi({ description: 'The request field that is missing or wrong (`invalid_request`).' }),
    attemptsLeft: z.int().min(0).optional().openapi({ description: 'Codes that may still be tried (`wrong_code`, `too_many_attempts`).' }),
    sessionStatus: SessionStatusSchema.optional().openapi({
      description: "The session's status after a wrong code: `locked` after the last one.",
    }),
    retryAfter: z.int().min(1).optional().openapi({ description: 'Seconds until the limit resets (`rate_limited`), as in `Retry-After`.' }),
    limit: z
      .enum(RATE_LIMITS)
      .optional()
      .openapi({
        description:
          'Which limit tripped (`rate_limited`): `resend` is the cooldown after a call to the same number; `phone`, `ip`, ' +
          '`prefix` (a block of numbers differing only in their last three digits), `site` and `site-country` are the ' +
          "scopes of the start limits; `channel` is the site's daily cap of the channel asked for; " +
          '`siteverify` is too many wrong secrets from one address (to siteverify and challenges together).',
      }),
    numberType: z.string().optional().openapi({ description: "The number's type, e.g. `TOLL_FREE` (`unsupported_number_type`)." }),
    country: z.string().optional().openapi({ description: "The number's region (`country_not_allowed`)." }),
  })
  .openapi('Problem', { description: 'RFC 9457 problem details. Branch on `code`; `title` and `detail` are for people.' });

export const HealthSchema = z
  .strictObject({
    status: z.enum(['ok', 'unavailable']),
    mode: z.enum(['sandbox', 'production']),
    store: z.enum(['ok', 'unreachable']),
  })
  .openapi('Health');
