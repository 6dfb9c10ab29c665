import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PAGE_ORIGIN, startSandbox } from '../support/sandbox.js';
import type { Answer, SandboxClient } from '../support/sandbox.js';

const SITES = JSON.stringify([
  { siteKey: 'pk_sandbox', secret: 'sk_sandbox', origins: ['http://localhost:*'] },
  { siteKey: 'pk_gb', secret: 'sk_gb_secret', origins: ['https://shop.example'], countries: ['GB'] },
]);

function assertProblem(answer: Answer, status: number, code: string): void {
  assert.equal(answer.status, status, JSON.stringify(answer.body));
  assert.equal(answer.headers.get('content-type'), 'application/problem+json');
  assert.equal(answer.body.code, code);
  assert.equal(answer.body.status, status);
  assert.equal(typeof answer.body.title, 'string');
  assert.ok(!JSON.stringify(answer.body).includes('    at '), 'no stack trace');
}

describe('every route answers bad input with a problem, never a 500', () => {
  let sandbox: SandboxClient;
  before(async () => {
    sandbox = await startSandbox({ FCV_SITES: SITES });
  });
  after(() => sandbox.close());

  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    sandbox.request(path, { method: 'POST', body, headers: { origin: PAGE_ORIGIN, 'content-type': 'application/json', ...headers } });

  test('bad JSON, a non-object, missing fields and wrong types are invalid_request', async () => {
    assertProblem(await post('/v1/verifications', '{"siteKey":'), 400, 'invalid_request');
    assertProblem(await post('/v1/verifications', '[1,2]'), 400, 'invalid_request');
    const missing = await post('/v1/verifications', '{"siteKey":"pk_sandbox"}');
    assertProblem(missing, 400, 'invalid_request');
    assert.equal(missing.body.field, 'phone');
    assertProblem(await post('/v1/verifications', '{"siteKey":"pk_sandbox","phone":447418301234}'), 400, 'invalid_request');
    assertProblem(
      await post('/v1/verifications', '{"siteKey":"pk_sandbox","phone":"+447418301234","country":"GBR"}'),
      400,
      'invalid_request',
    );
    assertProblem(await post('/v1/verifications', '{"siteKey":"pk_sandbox","phone":"07418301234","country":"QQ"}'), 400, 'invalid_request');
  });

  test('a body that is not JSON is 415, a huge body 413', async () => {
    assertProblem(await post('/v1/verifications', 'siteKey=pk_sandbox', { 'content-type': 'text/plain' }), 415, 'unsupported_media_type');
    const huge = JSON.stringify({ siteKey: 'pk_sandbox', phone: '+447418301234', pad: 'x'.repeat(100_000) });
    assertProblem(await post('/v1/verifications', huge), 413, 'payload_too_large');
  });

  test('phone problems are told apart', async () => {
    assertProblem(await sandbox.start({ phone: 'not a number' }), 422, 'invalid_phone');
    assertProblem(await sandbox.start({ phone: '+4474183' }), 422, 'invalid_phone');
    const freephone = await sandbox.start({ phone: '+448001234567' });
    assertProblem(freephone, 422, 'unsupported_number_type');
    assert.equal(freephone.body.numberType, 'TOLL_FREE');
    assertProblem(await sandbox.start({ phone: '+449001234567' }), 422, 'unsupported_number_type');
    assertProblem(await sandbox.start({ phone: '+442071838750' }), 422, 'unsupported_number_type');
  });

  test('site key, origin and country policy', async () => {
    assertProblem(await sandbox.start({ siteKey: 'pk_nobody' }), 400, 'unknown_site');
    assertProblem(await sandbox.start({}, 'https://evil.example'), 403, 'origin_not_allowed');
    const noOrigin = await sandbox.request('/v1/verifications', {
      method: 'POST',
      json: { siteKey: 'pk_sandbox', phone: '+447418301234' },
    });
    assertProblem(noOrigin, 403, 'origin_not_allowed');
    assertProblem(await sandbox.start({ siteKey: 'pk_gb' }, PAGE_ORIGIN), 403, 'origin_not_allowed');
    const french = await sandbox.start({ siteKey: 'pk_gb', phone: '+33612345678' }, 'https://shop.example');
    assertProblem(french, 422, 'country_not_allowed');
    assert.equal(french.body.country, 'FR');
  });

  test('CORS: preflight from an allowed origin only, and never a wildcard on browser routes', async () => {
    const preflight = await sandbox.request('/v1/verifications', {
      method: 'OPTIONS',
      headers: { origin: PAGE_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), PAGE_ORIGIN);
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /Content-Type/i);
    const foreign = await sandbox.request('/v1/verifications', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    assertProblem(foreign, 403, 'origin_not_allowed');
    assert.equal(foreign.headers.get('access-control-allow-origin'), null);
  });

  test('unknown ids are 404 on every verification route, and another site’s page is refused', async () => {
    const id = 'AAAAAAAAAAAAAAAAAAAAAA';
    assertProblem(await sandbox.request(`/v1/verifications/${id}`), 404, 'not_found');
    assertProblem(await sandbox.request(`/v1/verifications/${id}/events`), 404, 'not_found');
    assertProblem(await sandbox.check(id, '1234'), 404, 'not_found');
    assertProblem(await sandbox.request('/v1/verifications/..%2F..%2Fetc'), 404, 'not_found');
    const { body: session } = await sandbox.start();
    assertProblem(
      await sandbox.request(`/v1/verifications/${session.id}`, { headers: { origin: 'https://shop.example' } }),
      403,
      'origin_not_allowed',
    );
  });

  test('a code of the wrong shape is invalid_request and costs no attempt', async () => {
    const { body: session } = await sandbox.start({ phone: '+447418301250' });
    assertProblem(await sandbox.check(session.id, '12'), 400, 'invalid_request');
    assertProblem(await sandbox.check(session.id, 'abcd'), 400, 'invalid_request');
    assertProblem(await post(`/v1/verifications/${session.id}/check`, '{"code":1234}'), 400, 'invalid_request');
    assert.equal((await sandbox.request(`/v1/verifications/${session.id}`)).body.attemptsLeft, 3);
  });

  test('the limits the served document declares are the ones enforced, and the problem names the field', async () => {
    type Props = Record<string, { maxLength?: number; enum?: string[] }>;
    const doc = (await sandbox.request('/openapi.json')).body as {
      components: { schemas: Record<string, { properties: Props; required: string[] }> };
    };
    const { body: session } = await sandbox.start({ phone: '+447418301251' });
    const targets: Array<{ schema: string; path: string; base: Record<string, string> }> = [
      { schema: 'StartRequest', path: '/v1/verifications', base: { siteKey: 'pk_sandbox', phone: '+447418301252' } },
      { schema: 'CheckRequest', path: `/v1/verifications/${session.id}/check`, base: { code: '1234' } },
    ];
    for (const { schema, path, base } of targets) {
      const { properties, required } = doc.components.schemas[schema]!;
      for (const [name, property] of Object.entries(properties)) {
        if (property.enum) {
          // A closed set of values: anything else is refused, naming the field.
          const unknown = await post(path, JSON.stringify({ ...base, [name]: `${property.enum[0]}x` }));
          assertProblem(unknown, 400, 'invalid_request');
          assert.equal(unknown.body.field, name, `${schema}.${name}: ${JSON.stringify(unknown.body)}`);
          continue;
        }
        assert.ok(property.maxLength, `${schema}.${name} declares no maxLength`);
        const over = await post(path, JSON.stringify({ ...base, [name]: '1'.repeat(property.maxLength + 1) }));
        assertProblem(over, 400, 'invalid_request');
        assert.equal(over.body.field, name, `${schema}.${name}: ${JSON.stringify(over.body)}`);
        assert.match(over.body.detail, new RegExp(`^${name} is longer than ${property.maxLength} characters`));
        const within = await post(path, JSON.stringify({ ...base, [name]: '1'.repeat(property.maxLength) }));
        assert.notEqual(within.body.field, name, `${schema}.${name} at its limit: ${JSON.stringify(within.body)}`);
      }
      for (const name of required) {
        const { [name]: _, ...rest } = base;
        const missing = await post(path, JSON.stringify(rest));
        assertProblem(missing, 400, 'invalid_request');
        assert.equal(missing.body.field, name);
        assert.equal(missing.body.detail, `${name} is required.`);
        const wrongType = await post(path, JSON.stringify({ ...rest, [name]: 12 }));
        assert.equal(wrongType.body.field, name);
        assert.equal(wrongType.body.detail, `${name} must be a string.`);
      }
    }
  });
  test('wrong methods are 405 with Allow, unknown paths 404', async () => {
    const get = await sandbox.request('/v1/verifications');
    assertProblem(get, 405, 'method_not_allowed');
    assert.match(get.headers.get('allow') ?? '', /POST/);
    assertProblem(await sandbox.request('/v1/siteverify'), 405, 'method_not_allowed');
    assertProblem(await sandbox.request('/v2/anything'), 404, 'not_found');
  });

  test('siteverify follows the Turnstile convention for every failure', async () => {
    const codes = async (body: unknown, type = 'application/json') =>
      (
        await sandbox.request('/v1/siteverify', {
          method: 'POST',
          headers: { 'content-type': type },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        })
      ).body;
    assert.deepEqual(await codes({ token: 'x' }), { success: false, 'error-codes': ['missing-input-secret'] });
    assert.deepEqual(await codes({ secret: 'sk_wrong', token: 'x' }), { success: false, 'error-codes': ['invalid-input-secret'] });
    assert.deepEqual(await codes({ secret: 'sk_sandbox' }), { success: false, 'error-codes': ['missing-input-response'] });
    assert.deepEqual(await codes({ secret: 'sk_sandbox', token: 'nope' }), { success: false, 'error-codes': ['invalid-input-response'] });
    assert.deepEqual(await codes({ secret: 'sk_sandbox', token: 'fcvt_AAAAAAAAAAAAAAAAAAAAAAAAAAA' }), {
      success: false,
      'error-codes': ['timeout-or-duplicate'],
    });
    assert.deepEqual(await codes('{oops'), { success: false, 'error-codes': ['bad-request'] });
    assert.deepEqual(await codes('secret=sk_sandbox', 'application/x-www-form-urlencoded'), {
      success: false,
      'error-codes': ['missing-input-response'],
    });
  });

  test('a token is redeemable only with its own site’s secret', async () => {
    const { body: session } = await sandbox.start({ phone: '+447418301251' });
    const code = await sandbox.codeFor('+447418301251', 4);
    const { body: verified } = await sandbox.check(session.id, code);
    const other = await sandbox.siteverify(verified.token, 'sk_gb_secret');
    assert.deepEqual(other.body, { success: false, 'error-codes': ['invalid-input-response'] });
  });

  test('healthz reports the store', async () => {
    const health = await sandbox.request('/healthz');
    assert.equal(health.status, 200);
    assert.deepEqual(health.body, { status: 'ok', mode: 'sandbox', store: 'ok' });
  });

  test('every answer carries security headers', async () => {
    const answer = await sandbox.request('/healthz');
    assert.equal(answer.headers.get('x-content-type-options'), 'nosniff');
    assert.ok(answer.headers.get('x-request-id'));
  });
});

describe('rate limits and the resend cooldown', () => {
  let sandbox: SandboxClient;
  before(async () => {
    sandbox = await startSandbox({
      FCV_RESEND_SECONDS: '30',
      FCV_LIMITS: JSON.stringify([{ scope: 'ip', max: 4, windowSeconds: 900 }]),
    });
  });
  after(() => sandbox.close());

  test('a second call to the same number within the cooldown is 429 with Retry-After', async () => {
    const first = await sandbox.start({ phone: '+447418301260' });
    assert.equal(first.status, 201);
    assert.equal(Date.parse(first.body.resendAt) - Date.parse(first.body.expiresAt) + 300_000, 30_000);
    const second = await sandbox.start({ phone: '+447418301260' });
    assertProblem(second, 429, 'rate_limited');
    const retryAfter = Number(second.headers.get('retry-after'));
    assert.ok(retryAfter > 0 && retryAfter <= 30, String(retryAfter));
    assert.equal(second.body.retryAfter, retryAfter);
    assert.equal(second.body.limit, 'resend');
  });

  test('the per-address limit trips at its number', async () => {
    const answers = [];
    for (const phone of ['+447418301261', '+447418301262', '+447418301263', '+447418301264']) {
      answers.push(await sandbox.start({ phone }));
    }
    // One start already counted in the previous test.
    assert.deepEqual(
      answers.map((answer) => answer.status),
      [201, 201, 201, 429],
    );
    assert.equal(answers[3]!.body.limit, 'ip');
  });
});
