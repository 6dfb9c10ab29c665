import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import {
  ChallengeRequestSchema,
  ChallengeSchema,
  CheckRequestSchema,
  CheckResultSchema,
  FallbackRequestSchema,
  FINAL_STATUSES,
  HealthSchema,
  IdempotencyKeySchema,
  ProblemSchema,
  SessionIdSchema,
  SiteverifyRequestSchema,
  SiteverifyResultSchema,
  StartRequestSchema,
  VerificationSchema,
} from './schemas.js';
import { VERSION } from './version.js';

/**
 * The HTTP API as an OpenAPI 3.1 document, served at `/openapi.json`, generated from the schemas the routes
 * validate with (`schemas.ts`). Only the words are written here: summaries, and what each problem status means.
 *
 * The routes register their handlers on plain Hono and validate with the same schemas themselves: the
 * validators `OpenAPIHono.openapi()` adds read the request's headers through WHATWG `Headers`, which on Node
 * costs more than a status request's own work (see `http/request-header.ts`).
 */

const json = (schema: z.ZodType) => ({ 'application/json': { schema } });
const problemContent = { 'application/problem+json': { schema: ProblemSchema } };
const retryAfterHeader = z.object({
  'Retry-After': z.int().min(1).openapi({ description: 'Seconds to wait before trying again.' }),
});

/**
 * Problem answers several operations share, as `#/components/responses`. The generator takes a shared
 * response only as a plain OpenAPI object, not from zod, so these refer to the Problem schema by hand.
 */
const sharedProblem = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };
const sharedRetryAfter = {
  'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'integer' as const, minimum: 1 } },
};
const RESPONSES = {
  BadRequest: {
    description: '`invalid_request`, `unknown_site`, or `channel_not_allowed` for a channel the site does not list.',
    content: sharedProblem,
  },
  Forbidden: { description: "`origin_not_allowed`: the page's origin is not one of the site's origins.", content: sharedProblem },
  NotFound: { description: '`not_found`: unknown or malformed id.', content: sharedProblem },
  PayloadTooLarge: { description: '`payload_too_large`: a body over 16 KiB.', content: sharedProblem },
  UnsupportedMediaType: { description: '`unsupported_media_type`: the body is not JSON.', content: sharedProblem },
  TooManyRequests: { description: '`rate_limited`.', headers: sharedRetryAfter, content: sharedProblem },
  BadGateway: {
    description:
      '`provider_unavailable`: the provider did not confirm the call or text. When it refused, nothing was spent; when the ' +
      'outcome is unknown (a timeout, a 5xx) the phone may ring or the text arrive all the same, so the cooldown and limits stay.',
    content: sharedProblem,
  },
  ServiceUnavailable: { description: '`store_unavailable`.', headers: sharedRetryAfter, content: sharedProblem },
} as const;

const shared = (name: keyof typeof RESPONSES) => ({ $ref: `#/components/responses/${name}` });

const browserHeaders = z.object({
  Origin: z.string().optional().openapi({ description: "Sent by browsers; must be one of the site's origins." }),
});
const idParams = z.object({ id: SessionIdSchema });

const ROUTES = [
  createRoute({
    method: 'post',
    path: '/v1/verifications',
    operationId: 'startVerification',
    tags: ['browser'],
    summary: 'Start: validate the number, apply limits, place the call',
    request: {
      headers: browserHeaders.extend({ 'Idempotency-Key': IdempotencyKeySchema.optional() }),
      body: { required: true, content: json(StartRequestSchema) },
    },
    responses: {
      201: { description: 'The call is being placed.', content: json(VerificationSchema) },
      400: {
        description:
          '`invalid_request`, `unknown_site`, `invalid_challenge` (not one this server made for this site, or altered) or ' +
          '`challenge_with_phone` (a `phone` beside a `challenge`: nobody is called).',
        content: problemContent,
      },
      403: {
        description: "`origin_not_allowed`, or `challenge_required`: the site takes numbers only from its backend's challenges.",
        content: problemContent,
      },
      409: { description: '`challenge_spent`: the challenge already verified.', content: problemContent },
      410: { description: '`challenge_expired`: past its 10 minutes.', content: problemContent },
      413: shared('PayloadTooLarge'),
      415: shared('UnsupportedMediaType'),
      422: { description: '`invalid_phone`, `unsupported_number_type` or `country_not_allowed`.', content: problemContent },
      429: shared('TooManyRequests'),
      502: shared('BadGateway'),
      503: shared('ServiceUnavailable'),
    },
  }),
  createRoute({
    method: 'get',
    path: '/v1/verifications/{id}',
    operationId: 'getVerification',
    tags: ['browser'],
    summary: 'Status, for clients that cannot follow the event stream',
    request: { params: idParams, headers: browserHeaders },
    responses: {
      200: { description: 'The verification.', content: json(VerificationSchema) },
      403: shared('Forbidden'),
      404: shared('NotFound'),
      503: shared('ServiceUnavailable'),
    },
  }),
  createRoute({
    method: 'get',
    path: '/v1/verifications/{id}/events',
    operationId: 'followVerification',
    tags: ['browser'],
    summary: 'Status changes as Server-Sent Events',
    description:
      'Each change is an `event: status` whose `data` is a Verification as JSON. Comments keep idle streams ' +
      `open. The stream ends after a final status (${FINAL_STATUSES.map((status) => `\`${status}\``).join(', ')}).`,
    request: { params: idParams, headers: browserHeaders },
    responses: {
      200: {
        description: 'An event stream.',
        content: { 'text/event-stream': { schema: z.string() } },
        // OpenAPI 3.1 cannot describe the events of a stream; this extension names each event's data.
        'x-events': { status: { $ref: '#/components/schemas/Verification' } },
      },
      403: shared('Forbidden'),
      404: shared('NotFound'),
      503: shared('ServiceUnavailable'),
    },
  }),
  createRoute({
    method: 'post',
    path: '/v1/verifications/{id}/check',
    operationId: 'checkCode',
    tags: ['browser'],
    summary: 'Check the code; a right one gives the token',
    request: { params: idParams, headers: browserHeaders, body: { required: true, content: json(CheckRequestSchema) } },
    responses: {
      200: { description: 'Verified.', content: json(CheckResultSchema) },
      400: shared('BadRequest'),
      403: shared('Forbidden'),
      404: shared('NotFound'),
      409: {
        description:
          '`already_verified`, `invalid_request` when the call could not be placed, or `challenge_spent` when another verification ' +
          'from the same challenge verified first.',
        content: problemContent,
      },
      410: { description: '`expired`.', content: problemContent },
      413: shared('PayloadTooLarge'),
      415: shared('UnsupportedMediaType'),
      422: { description: '`wrong_code`, with `attemptsLeft` and `sessionStatus`.', content: problemContent },
      423: { description: '`too_many_attempts`: the session is locked.', content: problemContent },
      503: shared('ServiceUnavailable'),
    },
  }),
  createRoute({
    method: 'post',
    path: '/v1/verifications/{id}/fallback',
    operationId: 'sendFallback',
    tags: ['browser'],
    summary: 'Send a new code on the same verification by another channel',
    description:
      "A call that reads the code (`voice`) or a text (`sms`), from the site's `channels`. The code before stops working, " +
      'attempts start afresh, and event streams on the verification see the change. The same limits and cooldown apply ' +
      "as to a start, and the channel's daily cap for the site. An `Idempotency-Key` header makes retries safe.",
    request: {
      params: idParams,
      headers: browserHeaders.extend({ 'Idempotency-Key': IdempotencyKeySchema.optional() }),
      body: { required: true, content: json(FallbackRequestSchema) },
    },
    responses: {
      200: { description: 'The new code is on its way.', content: json(VerificationSchema) },
      400: { description: "`invalid_request`, or `channel_not_allowed`: not one of the site's channels.", content: problemContent },
      403: shared('Forbidden'),
      404: shared('NotFound'),
      409: { description: '`already_verified`, or `invalid_request` when the first code could not be sent.', content: problemContent },
      410: { description: '`expired`.', content: problemContent },
      413: shared('PayloadTooLarge'),
      415: shared('UnsupportedMediaType'),
      423: { description: '`too_many_attempts`: the session is locked.', content: problemContent },
      429: shared('TooManyRequests'),
      502: shared('BadGateway'),
      503: shared('ServiceUnavailable'),
    },
  }),
  createRoute({
    method: 'post',
    path: '/v1/siteverify',
    operationId: 'siteverify',
    tags: ['backend'],
    summary: 'Redeem a token once',
    description:
      '`200` for every token: `success` says whether it was good, as with reCAPTCHA and Turnstile. Wrong secrets are ' +
      'counted per client address; past the limit they are answered `429`.',
    request: {
      body: {
        required: true,
        content: {
          'application/json': { schema: SiteverifyRequestSchema },
          'application/x-www-form-urlencoded': { schema: SiteverifyRequestSchema },
        },
      },
    },
    responses: {
      200: { description: 'The outcome.', content: json(SiteverifyResultSchema) },
      413: shared('PayloadTooLarge'),
      429: {
        description:
          '`rate_limited` with `limit: "siteverify"`: too many wrong secrets from this address. A right secret is never refused.',
        headers: retryAfterHeader,
        content: problemContent,
      },
      503: shared('ServiceUnavailable'),
    },
  }),
  createRoute({
    method: 'post',
    path: '/v1/challenges',
    operationId: 'createChallenge',
    tags: ['backend'],
    summary: 'Challenge: name the number to confirm and the action',
    description:
      'For a number the site already holds (two-factor at login, confirming a payment): the element given the challenge calls ' +
      "that number and no other, and siteverify answers the challenge's `action` and `context` with the token. Valid for 10 " +
      'minutes, spent once it verifies. Wrong secrets count against the same per-address limit as siteverify.',
    request: { body: { required: true, content: json(ChallengeRequestSchema) } },
    responses: {
      201: { description: 'The challenge, for the page.', content: json(ChallengeSchema) },
      400: {
        description: '`invalid_request` (`field` names it), or `unknown_site` for a `siteKey` of another secret.',
        content: problemContent,
      },
      401: { description: '`invalid_secret`: missing or wrong.', content: problemContent },
      413: shared('PayloadTooLarge'),
      415: shared('UnsupportedMediaType'),
      422: { description: '`invalid_phone`, `unsupported_number_type` or `country_not_allowed`.', content: problemContent },
      429: {
        description: '`rate_limited` with `limit: "siteverify"`: too many wrong secrets from this address.',
        headers: retryAfterHeader,
        content: problemContent,
      },
      503: shared('ServiceUnavailable'),
    },
  }),
  createRoute({
    method: 'get',
    path: '/healthz',
    operationId: 'health',
    tags: ['operations'],
    summary: 'Liveness and store reachability',
    responses: {
      200: { description: 'Serving.', content: json(HealthSchema) },
      503: { description: 'The store cannot be reached.', content: json(HealthSchema) },
    },
  }),
];

export interface OpenApiOptions {
  /** Where the API is served, e.g. `https://verify.example.com`; a relative `/` when absent. */
  serverUrl?: string;
}

export function openApiDocument(options: OpenApiOptions = {}) {
  // Used only as the registry the generator reads: no handler is mounted on it.
  const api = new OpenAPIHono();
  for (const [name, response] of Object.entries(RESPONSES)) api.openAPIRegistry.registerComponent('responses', name, response);
  for (const route of ROUTES) api.openAPIRegistry.registerPath(route);
  const document = api.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'flash-call-verify',
      version: VERSION,
      summary: 'Phone number verification by flash call.',
      description:
        "The element calls the `/v1/verifications` routes from the page; the site's backend redeems the token with " +
        '`/v1/siteverify`; for a number the site already holds, its backend first creates a challenge with `/v1/challenges`. Errors are `application/problem+json` with a stable `code`. A method a route does not ' +
        'support is answered `405 method_not_allowed` with `Allow`.',
      license: { name: 'MIT', identifier: 'MIT' },
      // `summary` and the license's `identifier` are OpenAPI 3.1's; the generator's types know only 3.0's info object.
    } as Parameters<OpenAPIHono['getOpenAPI31Document']>[0]['info'],
    servers: [{ url: options.serverUrl ?? '/' }],
    tags: [
      { name: 'browser', description: "Called by the element from the site's pages (CORS, checked Origin)." },
      { name: 'backend', description: "Called by the site's own server with its secret." },
      { name: 'operations' },
    ],
  });
  return { ...document, paths: document.paths ?? {} };
}
