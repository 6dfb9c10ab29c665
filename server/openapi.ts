import { PROBLEM_CODES } from './errors.js';
import { VERSION } from './version.js';

/**
 * The HTTP API as an OpenAPI 3.1 document, served at `/openapi.json`. Response shapes are closed
 * (`additionalProperties: false`) and the problem codes come from the server's own list, so a test that
 * validates real answers against this document fails when either side changes alone.
 */

const SESSION_STATUSES = ['calling', 'ringing', 'answered', 'call-ended', 'verified', 'expired', 'locked', 'failed'];
const SITEVERIFY_ERRORS = [
  'missing-input-secret',
  'invalid-input-secret',
  'missing-input-response',
  'invalid-input-response',
  'timeout-or-duplicate',
  'bad-request',
];

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const problem = (description: string) => ({ $ref: `#/components/responses/${description}` });
const json = (schema: object) => ({ 'application/json': { schema } });

const schemas = {
  StartRequest: {
    type: 'object',
    required: ['siteKey', 'phone'],
    properties: {
      siteKey: { type: 'string', maxLength: 128, description: 'The site\'s public key.', examples: ['pk_sandbox'] },
      phone: {
        type: 'string',
        maxLength: 64,
        description: 'The number as typed: international (`+44…`) or national, read in `country`.',
        examples: ['+447418301234', '07418 301234'],
      },
      country: { type: 'string', maxLength: 2, description: 'ISO 3166 alpha-2 region for a national number.', examples: ['GB'] },
      lang: { type: 'string', maxLength: 35, description: 'BCP 47 language for the spoken code.', examples: ['en-GB'] },
    },
  },
  Verification: {
    type: 'object',
    description: 'A verification as a browser may see it: never the code, the hook token or the full caller ID.',
    additionalProperties: false,
    required: ['id', 'status', 'phone', 'codeLength', 'callerIdPrefix', 'expiresAt', 'resendAt', 'attemptsLeft'],
    properties: {
      id: { type: 'string', pattern: '^[A-Za-z0-9_-]{16,64}$' },
      status: ref('SessionStatus'),
      phone: { type: 'string', pattern: '^\\+[1-9][0-9]{1,14}$', description: 'The number being called, E.164.' },
      codeLength: { type: 'integer', minimum: 4, maximum: 8, description: 'How many trailing caller ID digits the user types.' },
      callerIdPrefix: {
        type: 'string',
        pattern: '^\\+[0-9]+$',
        description: 'The caller ID without its code digits; the element shows it before the code boxes.',
      },
      expiresAt: { type: 'string', format: 'date-time' },
      resendAt: { type: 'string', format: 'date-time', description: 'From when the same number may be called again.' },
      attemptsLeft: { type: 'integer', minimum: 0 },
    },
  },
  SessionStatus: { type: 'string', enum: SESSION_STATUSES },
  CheckRequest: {
    type: 'object',
    required: ['code'],
    properties: { code: { type: 'string', maxLength: 16, pattern: '^[0-9]+$', description: 'The last `codeLength` digits of the caller ID.' } },
  },
  CheckResult: {
    type: 'object',
    additionalProperties: false,
    required: ['status', 'token', 'tokenExpiresAt', 'phone'],
    properties: {
      status: { const: 'verified' },
      token: { type: 'string', pattern: '^fcvt_[A-Za-z0-9_-]{20,64}$', description: 'Single-use; the site\'s backend redeems it with siteverify.' },
      tokenExpiresAt: { type: 'string', format: 'date-time' },
      phone: { type: 'string', pattern: '^\\+[1-9][0-9]{1,14}$' },
    },
  },
  SiteverifyRequest: {
    type: 'object',
    properties: {
      secret: { type: 'string', description: 'The site\'s secret key. Never send it from a browser.' },
      token: { type: 'string', description: 'The token the element put in the form.' },
      response: { type: 'string', description: 'Alias of `token`, as reCAPTCHA and Turnstile name it.' },
    },
  },
  SiteverifySuccess: {
    type: 'object',
    additionalProperties: false,
    required: ['success', 'phone', 'siteKey', 'verifiedAt', 'hostname'],
    properties: {
      success: { const: true },
      phone: { type: 'string', pattern: '^\\+[1-9][0-9]{1,14}$', description: 'The verified number, E.164.' },
      siteKey: { type: 'string' },
      verifiedAt: { type: 'string', format: 'date-time' },
      hostname: { type: 'string', description: 'Host of the page the verification was made on.' },
    },
  },
  SiteverifyFailure: {
    type: 'object',
    additionalProperties: false,
    required: ['success', 'error-codes'],
    properties: {
      success: { const: false },
      'error-codes': { type: 'array', minItems: 1, items: { type: 'string', enum: SITEVERIFY_ERRORS } },
    },
  },
  SiteverifyResult: { oneOf: [ref('SiteverifySuccess'), ref('SiteverifyFailure')] },
  Problem: {
    type: 'object',
    description: 'RFC 9457 problem details. Branch on `code`; `title` and `detail` are for people.',
    additionalProperties: false,
    required: ['type', 'title', 'status', 'code', 'retryable'],
    properties: {
      type: { type: 'string', pattern: '^urn:flash-call-verify:problem:[a-z_]+$' },
      title: { type: 'string' },
      status: { type: 'integer', minimum: 400, maximum: 599 },
      code: { type: 'string', enum: [...PROBLEM_CODES] },
      retryable: { type: 'boolean', description: 'Whether the same request may work later.' },
      detail: { type: 'string' },
      field: { type: 'string', description: 'The request field that is missing or wrong (`invalid_request`).' },
      attemptsLeft: { type: 'integer', minimum: 0, description: 'Codes that may still be tried (`wrong_code`, `too_many_attempts`).' },
      sessionStatus: { ...ref('SessionStatus'), description: 'The session\'s status after a wrong code: `locked` after the last one.' },
      retryAfter: { type: 'integer', minimum: 1, description: 'Seconds until the limit resets (`rate_limited`), as in `Retry-After`.' },
      limit: {
        type: 'string',
        enum: ['resend', 'phone', 'ip', 'prefix', 'site', 'site-country', 'siteverify'],
        description:
          'Which limit tripped (`rate_limited`): `resend` is the cooldown after a call to the same number; `phone`, `ip`, ' +
          '`prefix` (a block of numbers differing only in their last three digits), `site` and `site-country` are the ' +
          'scopes of the start limits; `siteverify` is too many wrong secrets from one address.',
      },
      numberType: { type: 'string', description: 'The number\'s type, e.g. `TOLL_FREE` (`unsupported_number_type`).' },
      country: { type: 'string', description: 'The number\'s region (`country_not_allowed`).' },
    },
  },
  Health: {
    type: 'object',
    additionalProperties: false,
    required: ['status', 'mode', 'store'],
    properties: {
      status: { enum: ['ok', 'unavailable'] },
      mode: { enum: ['sandbox', 'production'] },
      store: { enum: ['ok', 'unreachable'] },
    },
  },
};

const problemContent = { 'application/problem+json': { schema: ref('Problem') } };
const retryAfterHeader = {
  'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'integer', minimum: 1 } },
};

const responses = {
  BadRequest: { description: '`invalid_request` or `unknown_site`.', content: problemContent },
  Forbidden: { description: '`origin_not_allowed`: the page\'s origin is not one of the site\'s origins.', content: problemContent },
  NotFound: { description: '`not_found`: unknown or malformed id.', content: problemContent },
  PayloadTooLarge: { description: '`payload_too_large`: a body over 16 KiB.', content: problemContent },
  UnsupportedMediaType: { description: '`unsupported_media_type`: the body is not JSON.', content: problemContent },
  TooManyRequests: { description: '`rate_limited`.', headers: retryAfterHeader, content: problemContent },
  BadGateway: {
    description:
      '`provider_unavailable`: the provider did not confirm the call. When it refused, nothing was spent; when the outcome is ' +
      'unknown (a timeout, a 5xx) the phone may ring all the same, so the cooldown and limits stay.',
    content: problemContent,
  },
  ServiceUnavailable: { description: '`store_unavailable`.', headers: retryAfterHeader, content: problemContent },
};

const browserHeaders = [
  {
    name: 'Origin',
    in: 'header',
    description: 'Sent by browsers; must be one of the site\'s origins.',
    schema: { type: 'string' },
  },
];
const idParameter = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{16,64}$' },
};

export interface OpenApiOptions {
  /** Where the API is served, e.g. `https://verify.example.com`; a relative `/` when absent. */
  serverUrl?: string;
}

export function openApiDocument(options: OpenApiOptions = {}) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'flash-call-verify',
      version: VERSION,
      summary: 'Phone number verification by flash call.',
      description:
        'The element calls the `/v1/verifications` routes from the page; the site\'s backend redeems the token with ' +
        '`/v1/siteverify`. Errors are `application/problem+json` with a stable `code`. A method a route does not ' +
        'support is answered `405 method_not_allowed` with `Allow`.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: options.serverUrl ?? '/' }],
    tags: [
      { name: 'browser', description: 'Called by the element from the site\'s pages (CORS, checked Origin).' },
      { name: 'backend', description: 'Called by the site\'s own server with its secret.' },
      { name: 'operations' },
    ],
    paths: {
      '/v1/verifications': {
        post: {
          operationId: 'startVerification',
          tags: ['browser'],
          summary: 'Start: validate the number, apply limits, place the call',
          parameters: [
            ...browserHeaders,
            {
              name: 'Idempotency-Key',
              in: 'header',
              description: 'Repeats with the same key get the first answer and place no second call.',
              schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' },
            },
          ],
          requestBody: { required: true, content: json(ref('StartRequest')) },
          responses: {
            '201': { description: 'The call is being placed.', content: json(ref('Verification')) },
            '400': problem('BadRequest'),
            '403': problem('Forbidden'),
            '413': problem('PayloadTooLarge'),
            '415': problem('UnsupportedMediaType'),
            '422': {
              description: '`invalid_phone`, `unsupported_number_type` or `country_not_allowed`.',
              content: problemContent,
            },
            '429': problem('TooManyRequests'),
            '502': problem('BadGateway'),
            '503': problem('ServiceUnavailable'),
          },
        },
      },
      '/v1/verifications/{id}': {
        get: {
          operationId: 'getVerification',
          tags: ['browser'],
          summary: 'Status, for clients that cannot follow the event stream',
          parameters: [idParameter, ...browserHeaders],
          responses: {
            '200': { description: 'The verification.', content: json(ref('Verification')) },
            '403': problem('Forbidden'),
            '404': problem('NotFound'),
            '503': problem('ServiceUnavailable'),
          },
        },
      },
      '/v1/verifications/{id}/events': {
        get: {
          operationId: 'followVerification',
          tags: ['browser'],
          summary: 'Status changes as Server-Sent Events',
          description:
            'Each change is an `event: status` whose `data` is a Verification as JSON. Comments keep idle streams ' +
            'open. The stream ends after a final status (`verified`, `expired`, `locked`, `failed`).',
          parameters: [idParameter, ...browserHeaders],
          responses: {
            '200': {
              description: 'An event stream.',
              content: { 'text/event-stream': { schema: { type: 'string' } } },
              'x-events': { status: ref('Verification') },
            },
            '403': problem('Forbidden'),
            '404': problem('NotFound'),
            '503': problem('ServiceUnavailable'),
          },
        },
      },
      '/v1/verifications/{id}/check': {
        post: {
          operationId: 'checkCode',
          tags: ['browser'],
          summary: 'Check the code; a right one gives the token',
          parameters: [idParameter, ...browserHeaders],
          requestBody: { required: true, content: json(ref('CheckRequest')) },
          responses: {
            '200': { description: 'Verified.', content: json(ref('CheckResult')) },
            '400': problem('BadRequest'),
            '403': problem('Forbidden'),
            '404': problem('NotFound'),
            '409': { description: '`already_verified`, or `invalid_request` when the call could not be placed.', content: problemContent },
            '410': { description: '`expired`.', content: problemContent },
            '413': problem('PayloadTooLarge'),
            '415': problem('UnsupportedMediaType'),
            '422': { description: '`wrong_code`, with `attemptsLeft` and `sessionStatus`.', content: problemContent },
            '423': { description: '`too_many_attempts`: the session is locked.', content: problemContent },
            '503': problem('ServiceUnavailable'),
          },
        },
      },
      '/v1/siteverify': {
        post: {
          operationId: 'siteverify',
          tags: ['backend'],
          summary: 'Redeem a token once',
          description:
            '`200` for every token: `success` says whether it was good, as with reCAPTCHA and Turnstile. Wrong secrets are ' +
            'counted per client address; past the limit they are answered `429`.',
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: ref('SiteverifyRequest') },
              'application/x-www-form-urlencoded': { schema: ref('SiteverifyRequest') },
            },
          },
          responses: {
            '200': { description: 'The outcome.', content: json(ref('SiteverifyResult')) },
            '413': problem('PayloadTooLarge'),
            '429': {
              description:
                '`rate_limited` with `limit: "siteverify"`: too many wrong secrets from this address. A right secret is never refused.',
              headers: retryAfterHeader,
              content: problemContent,
            },
            '503': problem('ServiceUnavailable'),
          },
        },
      },
      '/healthz': {
        get: {
          operationId: 'health',
          tags: ['operations'],
          summary: 'Liveness and store reachability',
          responses: {
            '200': { description: 'Serving.', content: json(ref('Health')) },
            '503': { description: 'The store cannot be reached.', content: json(ref('Health')) },
          },
        },
      },
    },
    components: { schemas, responses },
  };
}
