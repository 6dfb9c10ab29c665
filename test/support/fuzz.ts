import fc from 'fast-check';
import { PROBLEM_CODES } from '../../server/errors.js';
import { ORIGIN, inProcessApp } from './in-process.js';
import type { InProcess } from './in-process.js';

/** Every code a problem answer may carry, except the one that means a bug. */
export const KNOWN_CODES = new Set(PROBLEM_CODES.filter((code) => code !== 'internal_error'));

export interface RouteReport {
  route: string;
  cases: number;
  failures: number;
  examples: string[];
}

interface Shot {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

const contentTypes = fc.oneof(
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/problem+json',
    'application/x-www-form-urlencoded',
    'text/plain',
    'multipart/form-data; boundary=x',
    '',
  ),
  fc.string({ maxLength: 40 }),
);

const jsonish = fc.oneof(
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom('', '{', '[', 'null', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{}}}', '\u0000', 'x'.repeat(20_000)),
);

const phoneish = fc.oneof(
  fc.constantFrom('+447418301234', '07418 301234', '+448001234567', '+5352345678', 'tel:+447418301234', '+', ''),
  fc.stringMatching(/^\+?[0-9 ()\-.]{0,20}$/),
  fc.string({ maxLength: 70 }),
  fc.integer(),
  fc.constant(null),
);

const startBody = fc.oneof(
  jsonish,
  fc
    .record(
      {
        siteKey: fc.oneof(fc.constant('pk_sandbox'), fc.string({ maxLength: 140 }), fc.integer(), fc.constant(null)),
        phone: phoneish,
        country: fc.oneof(fc.constantFrom('GB', 'gb', 'US', 'XX', 'GBR', ''), fc.string({ maxLength: 4 }), fc.integer()),
        lang: fc.oneof(fc.constantFrom('en', 'es-ES', 'ar', 'zz-ZZ'), fc.string({ maxLength: 40 })),
      },
      { requiredKeys: [] },
    )
    .map((value) => JSON.stringify(value)),
);

const headerValue = fc.stringMatching(/^[\x20-\x7e]{0,60}$/);
const origins = fc.oneof(fc.constantFrom(ORIGIN, 'http://127.0.0.1:9', 'https://evil.example', 'null', ''), headerValue);
const extraHeaders = fc.record(
  {
    origin: origins,
    'content-type': contentTypes.filter((type) => /^[\x20-\x7e]*$/.test(type)),
    'idempotency-key': headerValue,
    accept: fc.constantFrom('*/*', 'text/event-stream', 'application/json'),
  },
  { requiredKeys: [] },
);
const pathSegment = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_-]{1,70}$/),
  fc.string({ maxLength: 80 }).map((s) => encodeURIComponent(s) || '%20'),
  fc.constantFrom('..', '%2e%2e', '%00', 'AAAAAAAAAAAAAAAAAAAAAA'),
);
const formBody = fc
  .dictionary(
    fc.oneof(
      fc.constantFrom('CallSid', 'CallStatus', 'From', 'To', 'SequenceNumber', 'CallDuration', 'Timestamp'),
      fc.string({ maxLength: 12 }),
    ),
    fc.oneof(
      fc.constantFrom('initiated', 'ringing', 'answered', 'completed', 'NO_ANSWER', 'IN_PROGRESS', '-1', '3', '1e309', 'NaN'),
      fc.string({ maxLength: 40 }),
    ),
    { maxKeys: 8 },
  )
  .map((fields) => new URLSearchParams(fields).toString());

/** The seeds every run needs: a live session, its hook token and call sid, and a finished one. */
async function seed(t: InProcess) {
  const live = await t.call('POST', '/v1/verifications', { siteKey: 'pk_sandbox', phone: '+447418301234' });
  const done = await t.call('POST', '/v1/verifications', { siteKey: 'pk_sandbox', phone: '+447418301235' });
  await t.call('POST', `/v1/verifications/${done.body.id}/check`, { code: t.provider.codeFor('+447418301235') });
  const session = (await t.store.getSession(live.body.id))!;
  const challenge = await t.call('POST', '/v1/challenges', { secret: 'sk_sandbox', phone: '+447418301236', action: 'payment' });
  return {
    challenge: challenge.body.challenge as string,
    liveId: live.body.id as string,
    doneId: done.body.id as string,
    hookToken: t.service.hookToken(live.body.id),
    callSid: session.callSid!,
  };
}

type Seeds = Awaited<ReturnType<typeof seed>>;

function routes(seeds: Seeds): Record<string, fc.Arbitrary<Shot>> {
  const ids = fc.oneof(fc.constantFrom(seeds.liveId, seeds.doneId), pathSegment);
  const hookTokens = fc.oneof(fc.constant(seeds.hookToken), pathSegment);
  // The seeded challenge, altered or not, with or without a number beside it.
  const challengeStart = fc
    .record(
      {
        siteKey: fc.oneof(fc.constant('pk_sandbox'), fc.string({ maxLength: 20 })),
        challenge: fc.oneof(
          fc.constant(seeds.challenge),
          fc.nat({ max: seeds.challenge.length - 1 }).map((at) => seeds.challenge.slice(0, at) + 'A' + seeds.challenge.slice(at + 1)),
          fc.string({ maxLength: 80 }).map((tail) => `fcvc_${tail}`),
          fc.string({ maxLength: 3000 }),
          fc.integer(),
        ),
        phone: phoneish,
      },
      { requiredKeys: ['challenge'] },
    )
    .map((value) => JSON.stringify(value));
  return {
    'POST /v1/verifications': fc.record({ headers: extraHeaders, body: fc.oneof(startBody, challengeStart) }).map(({ headers, body }) => ({
      method: 'POST',
      path: '/v1/verifications',
      headers,
      body,
    })),
    'GET /v1/verifications/{id}': fc.record({ id: ids, headers: extraHeaders }).map(({ id, headers }) => ({
      method: 'GET',
      path: `/v1/verifications/${id}`,
      headers,
    })),
    // The live session is left out: its stream would stay open for its whole TTL.
    'GET /v1/verifications/{id}/events': fc
      .record({ id: fc.oneof(fc.constant(seeds.doneId), pathSegment), headers: extraHeaders })
      .map(({ id, headers }) => ({ method: 'GET', path: `/v1/verifications/${id}/events`, headers })),
    'POST /v1/verifications/{id}/check': fc
      .record({
        id: ids,
        headers: extraHeaders,
        body: fc.oneof(
          jsonish,
          fc
            .record({ code: fc.oneof(fc.stringMatching(/^\d{0,6}$/), fc.string({ maxLength: 20 }), fc.integer(), fc.constant(null)) })
            .map((value) => JSON.stringify(value)),
        ),
      })
      .map(({ id, headers, body }) => ({ method: 'POST', path: `/v1/verifications/${id}/check`, headers, body })),
    'POST /v1/siteverify': fc
      .record({
        headers: extraHeaders,
        body: fc.oneof(
          jsonish,
          formBody,
          fc
            .record(
              {
                secret: fc.oneof(fc.constant('sk_sandbox'), fc.string({ maxLength: 40 }), fc.integer()),
                token: fc.oneof(fc.string({ maxLength: 60 }), fc.integer()),
              },
              { requiredKeys: [] },
            )
            .map((value) => JSON.stringify(value)),
        ),
      })
      .map(({ headers, body }) => ({ method: 'POST', path: '/v1/siteverify', headers, body })),
    'POST /v1/challenges': fc
      .record({
        headers: extraHeaders,
        body: fc.oneof(
          jsonish,
          fc
            .record(
              {
                secret: fc.oneof(fc.constant('sk_sandbox'), fc.string({ maxLength: 40 }), fc.integer(), fc.constant(null)),
                siteKey: fc.oneof(fc.constant('pk_sandbox'), fc.string({ maxLength: 20 })),
                phone: phoneish,
                action: fc.oneof(fc.constantFrom('login', 'payment', 'a'.repeat(65), 'two words', ''), fc.string({ maxLength: 70 })),
                context: fc.oneof(fc.string({ maxLength: 300 }), fc.integer(), fc.constant(null)),
                lang: fc.oneof(fc.constantFrom('en', 'es-ES', ''), fc.string({ maxLength: 40 })),
              },
              { requiredKeys: [] },
            )
            .map((value) => JSON.stringify(value)),
        ),
      })
      .map(({ headers, body }) => ({ method: 'POST', path: '/v1/challenges', headers, body })),
    'GET|POST /hooks/restcomm/{hookToken}/rcml': fc
      .record({ token: hookTokens, method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'), body: formBody })
      .map(({ token, method, body }) => ({
        method,
        path: `/hooks/restcomm/${token}/rcml${method === 'GET' ? `?${body}` : ''}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: method === 'GET' ? undefined : body,
      })),
    'POST /hooks/restcomm/{hookToken}/status': fc
      .record({ token: hookTokens, method: fc.constantFrom('POST', 'POST', 'POST', 'GET'), body: formBody, sid: fc.boolean() })
      .map(({ token, method, body, sid }) => ({
        method,
        path: `/hooks/restcomm/${token}/status`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: method === 'GET' ? undefined : sid ? `CallSid=${seeds.callSid}&${body}` : body,
      })),
    'any method, any path': fc
      .record({
        method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'),
        path: fc.oneof(
          fc.constantFrom(
            '/v1/verifications',
            '/v1/siteverify',
            '/v1/challenges',
            '/healthz',
            '/widget.js',
            `/v1/verifications/${seeds.liveId}`,
          ),
          fc.webPath(),
        ),
        headers: extraHeaders,
        body: fc.option(jsonish, { nil: undefined }),
      })
      .map(({ method, path, headers, body }) => ({
        method,
        path: path.startsWith('/') ? path : `/${path}`,
        headers,
        body: method === 'GET' || method === 'HEAD' ? undefined : body,
      })),
  };
}

/** What is wrong with an answer, or undefined when it keeps the promises every route makes. */
async function judge(shot: Shot, response: Response): Promise<string | undefined> {
  const text = await response.text();
  if (response.status >= 500) return `${response.status}: ${text.slice(0, 200)}`;
  const type = response.headers.get('content-type') ?? '';
  // A HEAD answer has the headers of a GET and no body to read.
  if (shot.method === 'HEAD') {
    return response.status >= 400 && type !== 'application/problem+json' ? `${response.status} as ${type}` : undefined;
  }
  // Siteverify answers 200 with `success` for anything it reads; only a body past the limit is refused unread,
  // and a client past its wrong-secret limit gets a 429 problem.
  if (shot.path === '/v1/siteverify' && shot.method === 'POST' && response.status !== 413 && response.status !== 429) {
    const body = JSON.parse(text);
    return typeof body.success === 'boolean' ? undefined : `siteverify without success: ${text.slice(0, 200)}`;
  }
  if (response.status < 400) return undefined;
  if (type !== 'application/problem+json') return `${response.status} as ${type || 'no content type'}`;
  const problem = JSON.parse(text);
  if (!KNOWN_CODES.has(problem.code)) return `unknown code ${problem.code}`;
  if (problem.status !== response.status) return `problem status ${problem.status} on a ${response.status}`;
  if (/\n\s+at /.test(text)) return 'a stack trace';
  return undefined;
}

/**
 * Throws arbitrary requests at every route of an in-process sandbox app and counts the answers that break
 * a promise: a 5xx, a crash, or an error that is not problem+json with a known code.
 */
export async function fuzzRoutes(casesPerRoute: number, seedValue?: number): Promise<RouteReport[]> {
  const t = inProcessApp({
    FCV_LIMITS: JSON.stringify([{ scope: 'ip', max: 1_000_000, windowSeconds: 60 }]),
    FCV_SITEVERIFY_LIMIT: JSON.stringify({ max: 1_000_000, windowSeconds: 60 }),
  });
  const seeds = await seed(t);
  const reports: RouteReport[] = [];
  for (const [route, shots] of Object.entries(routes(seeds))) {
    const report: RouteReport = { route, cases: 0, failures: 0, examples: [] };
    await fc.assert(
      fc.asyncProperty(shots, async (shot) => {
        report.cases++;
        let problem: string | undefined;
        try {
          const response = await t.app.request(shot.path, { method: shot.method, headers: shot.headers, body: shot.body });
          problem = await judge(shot, response);
        } catch (error) {
          problem = `threw ${(error as Error).stack ?? error}`;
        }
        if (problem) {
          report.failures++;
          if (report.examples.length < 3)
            report.examples.push(
              `${shot.method} ${shot.path} ${JSON.stringify(shot.headers)} ${JSON.stringify(shot.body)?.slice(0, 200)} -> ${problem}`,
            );
        }
      }),
      { numRuns: casesPerRoute, seed: seedValue, endOnFailure: false },
    );
    reports.push(report);
  }
  await t.store.close();
  return reports;
}
