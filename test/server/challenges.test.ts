import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { InProcess } from '../support/in-process.js';
import { inProcessApp, PRODUCTION_ENV } from '../support/in-process.js';
import { maskPhone } from '../../server/verification/challenge.js';

const MINUTE = 60_000;
const PHONE = '+447418303456';
const SITES = JSON.stringify([
  { siteKey: 'pk_bank', secret: 'sk_bank_secret_0123456789', origins: ['http://localhost:*'] },
  { siteKey: 'pk_shop', secret: 'sk_shop_secret_0123456789', origins: ['http://localhost:*'] },
  { siteKey: 'pk_strict', secret: 'sk_strict_secret_012345', origins: ['http://localhost:*'], requireChallenge: true, countries: ['GB'] },
]);

function app(env: Record<string, string> = {}): InProcess {
  return inProcessApp({ FCV_SITES: SITES, ...env });
}

function create(t: InProcess, fields: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return t.call('POST', '/v1/challenges', { secret: 'sk_bank_secret_0123456789', phone: PHONE, action: 'payment', ...fields }, headers);
}

function start(t: InProcess, fields: Record<string, unknown>, headers: Record<string, string> = {}) {
  return t.call('POST', '/v1/verifications', { siteKey: 'pk_bank', ...fields }, headers);
}

async function challengeFor(t: InProcess, fields: Record<string, unknown> = {}): Promise<string> {
  const answer = await create(t, fields);
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  return answer.body.challenge;
}

async function verify(t: InProcess, sessionId: string, phone = PHONE) {
  return t.call('POST', `/v1/verifications/${sessionId}/check`, { code: t.provider.codeFor(phone) });
}

describe('creating a challenge', () => {
  test('answers 201 with an opaque challenge, its expiry in 10 minutes and the number masked', async () => {
    const t = app();
    const answer = await create(t, { context: 'pay_8f2c' });
    assert.equal(answer.status, 201);
    assert.equal(answer.headers.get('cache-control'), 'no-store');
    assert.deepEqual(Object.keys(answer.body).sort(), ['challenge', 'expiresAt', 'phoneMasked']);
    assert.equal(answer.body.phoneMasked, '+44 •••• ••3456');
    assert.equal(Date.parse(answer.body.expiresAt), t.clock.now() + 10 * MINUTE);
    const { challenge } = answer.body as { challenge: string };
    assert.match(challenge, /^fcvc_[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    // Nothing the page can decode shows the number, the action or the context.
    const readable = challenge
      .slice(5)
      .split('.')
      .map((part) => Buffer.from(part, 'base64url').toString('latin1'))
      .join('');
    for (const secret of ['7418303456', '741830', 'payment', 'pay_8f2c']) assert.ok(!readable.includes(secret), secret);
    assert.notEqual((await create(t)).body.challenge, challenge, 'each challenge is new');
    assert.equal(t.provider.calls.length, 0, 'creating one calls nobody');
  });

  test('the masked number keeps the country code and the last four digits, grouped as written', () => {
    assert.equal(maskPhone('+447418303456'), '+44 •••• ••3456');
    assert.equal(maskPhone('+12015550123'), '+1 ••• ••• 0123');
    assert.equal(maskPhone('+33612345678'), '+33 • •• •• 56 78');
    assert.equal(maskPhone('+4915123456789'), '+49 •••• •••6789');
  });

  test('a missing or wrong secret is a problem answer, never a challenge', async () => {
    const t = app();
    for (const secret of [undefined, '', 'sk_bank_secret_0123456788', 'pk_bank']) {
      const answer = await create(t, { secret });
      assert.equal(answer.status, 401, String(secret));
      assert.equal(answer.headers.get('content-type'), 'application/problem+json');
      assert.equal(answer.body.code, 'invalid_secret');
      assert.equal(answer.body.challenge, undefined);
    }
  });

  test('wrong secrets count against the same per-address limit as siteverify', async () => {
    const t = app({ FCV_SITEVERIFY_LIMIT: JSON.stringify({ max: 2, windowSeconds: 600 }) });
    const ip = { 'x-test-ip': '203.0.113.70' };
    assert.equal((await create(t, { secret: 'sk_guess_1' }, ip)).status, 401);
    assert.equal(
      (await t.call('POST', '/v1/siteverify', { secret: 'sk_guess_2', token: 'fcvt_AAAAAAAAAAAAAAAAAAAAAAAAAAA' }, ip)).status,
      200,
    );
    const over = await create(t, { secret: 'sk_guess_3' }, ip);
    assert.equal(over.status, 429);
    assert.equal(over.body.code, 'rate_limited');
    assert.equal(over.body.limit, 'siteverify');
    assert.equal(over.headers.get('retry-after'), '600');
    assert.equal((await create(t, {}, ip)).status, 201, 'the right secret is never refused');
    assert.equal(
      (await create(t, { secret: 'sk_guess_4' }, { 'x-test-ip': '203.0.113.71' })).status,
      401,
      'another address is not affected',
    );
  });

  test('validates the number, the action, the context and the site', async () => {
    const t = app();
    const invalid = async (fields: Record<string, unknown>, field: string) => {
      const answer = await create(t, fields);
      assert.equal(answer.status, 400, JSON.stringify(fields));
      assert.equal(answer.body.code, 'invalid_request');
      assert.equal(answer.body.field, field);
    };
    await invalid({ phone: '07418 303456' }, 'phone');
    await invalid({ phone: undefined }, 'phone');
    await invalid({ action: undefined }, 'action');
    await invalid({ action: 'pay now' }, 'action');
    await invalid({ action: 'a'.repeat(65) }, 'action');
    await invalid({ context: 'x'.repeat(256) }, 'context');
    await invalid({ context: 42 }, 'context');
    assert.equal((await create(t, { action: 'a'.repeat(64), context: 'x'.repeat(255) })).status, 201, 'both at their longest');
    assert.equal((await create(t, { action: 'login.v2-step_1', context: null })).status, 201);
    const premium = await create(t, { phone: '+448001234567' });
    assert.deepEqual([premium.status, premium.body.code], [422, 'unsupported_number_type']);
    const abroad = await create(t, { secret: 'sk_strict_secret_012345', phone: '+33612345678' });
    assert.deepEqual([abroad.status, abroad.body.code], [422, 'country_not_allowed'], "the site's number policy applies at once");
    const notANumber = await create(t, { phone: '+4412' });
    assert.deepEqual([notANumber.status, notANumber.body.code], [422, 'invalid_phone']);
  });

  test('sites sharing a secret name the site; a site key of another secret is refused', async () => {
    const shared = 'sk_shared_secret_0123456';
    const t = inProcessApp({
      FCV_SITES: JSON.stringify([
        { siteKey: 'pk_a', secret: shared, origins: ['http://localhost:*'] },
        { siteKey: 'pk_b', secret: shared, origins: ['http://localhost:*'] },
        { siteKey: 'pk_c', secret: 'sk_other_secret_0123456', origins: ['http://localhost:*'] },
      ]),
    });
    const ask = (siteKey?: string) => t.call('POST', '/v1/challenges', { secret: shared, siteKey, phone: PHONE, action: 'login' });
    const ambiguous = await ask();
    assert.deepEqual([ambiguous.status, ambiguous.body.code, ambiguous.body.field], [400, 'invalid_request', 'siteKey']);
    assert.deepEqual([(await ask('pk_c')).status, (await ask('pk_c')).body.code], [400, 'unknown_site']);
    const challenge = (await ask('pk_b')).body.challenge;
    assert.equal((await t.call('POST', '/v1/verifications', { siteKey: 'pk_a', challenge })).body.code, 'invalid_challenge');
    assert.equal((await t.call('POST', '/v1/verifications', { siteKey: 'pk_b', challenge })).status, 201);
  });

  test('only POST', async () => {
    const answer = await app().call('GET', '/v1/challenges');
    assert.deepEqual([answer.status, answer.body.code, answer.headers.get('allow')], [405, 'method_not_allowed', 'POST']);
  });
});

describe('starting from a challenge', () => {
  test("calls the challenge's number and shows the page only the masked one", async () => {
    const t = app();
    const challenge = await challengeFor(t);
    const started = await start(t, { challenge });
    assert.equal(started.status, 201);
    assert.equal(started.body.phone, '+44 •••• ••3456');
    assert.deepEqual(
      t.provider.calls.map((call) => call.to),
      [PHONE],
    );
    const read = await t.call('GET', `/v1/verifications/${started.body.id}`);
    assert.equal(read.body.phone, '+44 •••• ••3456');
    const verified = await verify(t, started.body.id);
    assert.equal(verified.status, 200);
    assert.equal(verified.body.phone, '+44 •••• ••3456', 'the page never learns the full number');
  });

  test('a phone beside a challenge is refused with its own code, and nobody is called', async () => {
    const t = app();
    const challenge = await challengeFor(t);
    for (const phone of ['+447418309999', PHONE]) {
      const answer = await start(t, { challenge, phone });
      assert.deepEqual([answer.status, answer.body.code], [400, 'challenge_with_phone']);
    }
    assert.equal(t.provider.calls.length, 0);
  });

  test('valid for 10 minutes, then challenge_expired', async () => {
    const t = app();
    const challenge = await challengeFor(t);
    t.clock.advance(10 * MINUTE - 1);
    assert.equal((await start(t, { challenge })).status, 201);
    t.clock.advance(1);
    const late = await start(t, { challenge });
    assert.deepEqual([late.status, late.body.code, late.body.retryable], [410, 'challenge_expired', false]);
    assert.equal(t.provider.calls.length, 1);
  });

  test('a tampered, truncated, made-up or foreign challenge is invalid_challenge', async () => {
    const t = app();
    const challenge = await challengeFor(t);
    const other = await challengeFor(t, { phone: '+447418309999' });
    const [header, sealed] = challenge.slice(5).split('.') as [string, string];
    const [otherHeader] = other.slice(5).split('.') as [string];
    const flip = (text: string, at: number) => text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
    const candidates = [
      `fcvc_${header}.${flip(sealed, 20)}`,
      `fcvc_${header}.${flip(sealed, sealed.length - 3)}`,
      `fcvc_${flip(header, 3)}.${sealed}`,
      // Another challenge's clear part, which names another number, in front of this one's seal.
      `fcvc_${otherHeader}.${sealed}`,
      `fcvc_${header}.${sealed.slice(0, -10)}`,
      `fcvc_${header}.`,
      'fcvc_abc.def',
      'fcvt_AAAAAAAAAAAAAAAAAAAAAAAAAAA',
      `${challenge}x`.replace('.', '..'),
    ];
    for (const candidate of candidates) {
      const answer = await start(t, { challenge: candidate });
      assert.deepEqual([answer.status, answer.body.code], [400, 'invalid_challenge'], candidate);
    }
    const elsewhere = inProcessApp({ FCV_SITES: SITES, FCV_SECRET: 'another-server-secret-0123456789abcdefgh' });
    assert.equal((await start(elsewhere, { challenge })).body.code, 'invalid_challenge', "another server's secret does not open it");
    assert.equal(t.provider.calls.length + elsewhere.provider.calls.length, 0);
  });

  test("is bound to its site: another site's key is refused", async () => {
    const t = app();
    const challenge = await challengeFor(t);
    const answer = await t.call('POST', '/v1/verifications', { siteKey: 'pk_shop', challenge });
    assert.deepEqual([answer.status, answer.body.code], [400, 'invalid_challenge']);
    const foreignOrigin = await start(t, { challenge }, { origin: 'https://evil.example' });
    assert.deepEqual([foreignOrigin.status, foreignOrigin.body.code], [403, 'origin_not_allowed']);
    assert.equal(t.provider.calls.length, 0);
  });

  test('is spent once it verifies: no new start, and a second session from it gives no second token', async () => {
    const t = app();
    const challenge = await challengeFor(t);
    const first = await start(t, { challenge });
    // Before it verifies, the usual resend rules apply: another call may be asked for.
    const second = await start(t, { challenge });
    assert.equal(second.status, 201);
    assert.equal((await verify(t, second.body.id)).status, 200);
    const again = await start(t, { challenge });
    assert.deepEqual([again.status, again.body.code], [409, 'challenge_spent']);
    const late = await t.call('POST', `/v1/verifications/${first.body.id}/check`, { code: t.provider.calls[0]!.from.slice(-4) });
    assert.deepEqual([late.status, late.body.code], [409, 'challenge_spent']);
    assert.equal(t.provider.calls.length, 2);
  });

  test('the usual limits and idempotency hold', async () => {
    const t = app({ FCV_RESEND_SECONDS: '30' });
    const challenge = await challengeFor(t);
    const key = { 'idempotency-key': 'confirm-1' };
    const [a, b] = await Promise.all([start(t, { challenge }, key), start(t, { challenge }, key)]);
    assert.equal(a.body.id, b.body.id);
    assert.equal(t.provider.calls.length, 1);
    const early = await start(t, { challenge });
    assert.deepEqual([early.status, early.body.code, early.body.limit], [429, 'rate_limited', 'resend']);
    // A typed start of the same number shares its cooldown: the limits count the number, however it was named.
    assert.equal((await start(t, { phone: PHONE })).status, 429);
  });

  test("the challenge's language is the spoken code's", async () => {
    const t = app();
    const challenge = await challengeFor(t, { lang: 'es-ES' });
    const started = await start(t, { challenge, lang: 'en-GB' });
    const token = t.service.hookToken(started.body.id);
    const spoken = await t.service.spokenCode(token, t.provider.calls[0]!.from);
    assert.equal(spoken?.locale, 'es-ES');
  });
});

describe('requireChallenge', () => {
  test('refuses a typed number with challenge_required and calls nobody; a challenge still works', async () => {
    const t = app();
    const typed = await t.call('POST', '/v1/verifications', { siteKey: 'pk_strict', phone: PHONE });
    assert.deepEqual([typed.status, typed.body.code], [403, 'challenge_required']);
    assert.equal(t.provider.calls.length, 0);
    const { body } = await create(t, { secret: 'sk_strict_secret_012345' });
    assert.equal((await t.call('POST', '/v1/verifications', { siteKey: 'pk_strict', challenge: body.challenge })).status, 201);
    assert.equal(
      (await t.call('POST', '/v1/verifications', { siteKey: 'pk_bank', phone: PHONE })).status,
      201,
      'other sites still take typed numbers',
    );
  });

  test('must be true or false in FCV_SITES', () => {
    const bad = JSON.stringify([{ siteKey: 'pk_x', secret: 'sk_x_secret', origins: ['http://localhost:*'], requireChallenge: 'yes' }]);
    assert.throws(() => inProcessApp({ FCV_SITES: bad }), /requireChallenge must be true or false/);
  });

  test('a start with neither a number nor a challenge names the missing field', async () => {
    const answer = await start(app(), {});
    assert.deepEqual([answer.status, answer.body.code, answer.body.field], [400, 'invalid_request', 'phone']);
  });
});

describe('siteverify', () => {
  test("a challenge's token answers its action and context, once", async () => {
    const t = app();
    const challenge = await challengeFor(t, { action: 'payment', context: 'pay_8f2c:€120.00' });
    const started = await start(t, { challenge });
    const { body: verified } = await verify(t, started.body.id);
    const redeem = () => t.call('POST', '/v1/siteverify', { secret: 'sk_bank_secret_0123456789', token: verified.token });
    const redeemed = await redeem();
    assert.deepEqual(
      { ...redeemed.body, verifiedAt: typeof redeemed.body.verifiedAt },
      {
        success: true,
        phone: PHONE,
        siteKey: 'pk_bank',
        verifiedAt: 'string',
        hostname: 'localhost',
        action: 'payment',
        context: 'pay_8f2c:€120.00',
      },
    );
    assert.deepEqual((await redeem()).body, { success: false, 'error-codes': ['timeout-or-duplicate'] });
  });

  test('context is null when the challenge had none, and both are null for a typed number', async () => {
    const t = app();
    const challenge = await challengeFor(t, { action: 'login' });
    const fromChallenge = await verify(t, (await start(t, { challenge })).body.id);
    const typed = await start(t, { phone: '+447418301234' });
    const fromTyped = await verify(t, typed.body.id, '+447418301234');
    const redeem = (token: string) => t.call('POST', '/v1/siteverify', { secret: 'sk_bank_secret_0123456789', token });
    const a = (await redeem(fromChallenge.body.token)).body;
    const b = (await redeem(fromTyped.body.token)).body;
    assert.deepEqual([a.action, a.context], ['login', null]);
    assert.deepEqual([b.action, b.context, b.phone], [null, null, '+447418301234']);
  });
});

describe('in production', () => {
  test('the same flow, with the metrics counting each mode apart', async () => {
    const t = inProcessApp({
      ...PRODUCTION_ENV,
      FCV_METRICS: 'on',
      FCV_METRICS_PORT: 'off',
      FCV_METRICS_TOKEN: 'metrics-token-0123456789',
    });
    const secret = 'sk_live_shop_0123456789abcdefghijklmnop';
    const { body } = await t.call('POST', '/v1/challenges', { secret, phone: PHONE, action: 'login' });
    const started = await t.call('POST', '/v1/verifications', { siteKey: 'pk_live_shop', challenge: body.challenge });
    assert.equal(started.status, 201);
    await verify(t, started.body.id);
    const text = await t.metrics!.registry.metrics();
    assert.match(text, /fcv_challenges_created_total\{site="pk_live_shop"\} 1/);
    assert.match(text, /fcv_verifications_started_total\{site="pk_live_shop",country="GB",mode="challenge",channel="flash"\} 1/);
    assert.match(text, /fcv_verifications_verified_total\{site="pk_live_shop",mode="challenge",channel="flash"\} 1/);
  });
});
