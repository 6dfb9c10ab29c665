import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { addressBlock } from '../../server/verification/address-block.js';
import { inProcessApp, PRODUCTION_ENV, seededRandom } from '../support/in-process.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const start = (phone: string, headers: Record<string, string> = {}) =>
  ['POST', '/v1/verifications', { siteKey: 'pk_sandbox', phone }, headers] as const;

describe('rate limits trip at their number and reset after their window', () => {
  test('per phone: 3 calls in 15 minutes, 10 a day', async () => {
    const t = inProcessApp({
      FCV_LIMITS: JSON.stringify([
        { scope: 'phone', max: 3, windowSeconds: 900 },
        { scope: 'phone', max: 10, windowSeconds: 86400 },
      ]),
    });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await t.call(...start('+447418301234'))).status);
    assert.deepEqual(statuses, [201, 201, 201, 429]);
    const limited = await t.call(...start('+447418301234'));
    assert.equal(limited.body.code, 'rate_limited');
    assert.ok(Number(limited.headers.get('retry-after')) <= 900);
    assert.equal((await t.call(...start('+447418301299'))).status, 201, 'another number is not affected');
    t.clock.advance(15 * MINUTE);
    assert.equal((await t.call(...start('+447418301234'))).status, 201, 'the 15-minute window reset');
    // 4 so far today; six more reach the daily 10 across windows.
    for (let round = 0; round < 2; round++) {
      t.clock.advance(15 * MINUTE);
      for (let i = 0; i < 3; i++) assert.equal((await t.call(...start('+447418301234'))).status, 201);
    }
    t.clock.advance(15 * MINUTE);
    const daily = await t.call(...start('+447418301234'));
    assert.equal(daily.status, 429);
    assert.ok(Number(daily.headers.get('retry-after')) > 900, 'the daily window is the one that holds');
    t.clock.advance(DAY);
    assert.equal((await t.call(...start('+447418301234'))).status, 201);
  });

  test('resend cooldown: 30 seconds per number, reported as resendAt', async () => {
    const t = inProcessApp({ FCV_RESEND_SECONDS: '30' });
    const first = await t.call(...start('+447418301234'));
    assert.equal(Date.parse(first.body.resendAt) - t.clock.now(), 30_000);
    const early = await t.call(...start('+447418301234'));
    assert.equal(early.status, 429);
    assert.equal(early.headers.get('retry-after'), '30');
    t.clock.advance(29_000);
    assert.equal((await t.call(...start('+447418301234'))).status, 429);
    t.clock.advance(1_000);
    assert.equal((await t.call(...start('+447418301234'))).status, 201);
  });

  test('per client address: 10 in 15 minutes, whatever the numbers', async () => {
    const t = inProcessApp({ FCV_LIMITS: JSON.stringify([{ scope: 'ip', max: 10, windowSeconds: 900 }]) });
    const ip = { 'x-test-ip': '203.0.113.9' };
    for (let i = 0; i < 10; i++) assert.equal((await t.call(...start(`+4474183012${10 + i}`, ip))).status, 201);
    assert.equal((await t.call(...start('+447418301290', ip))).status, 429);
    assert.equal((await t.call(...start('+447418301290', { 'x-test-ip': '203.0.113.10' }))).status, 201);
    t.clock.advance(15 * MINUTE);
    assert.equal((await t.call(...start('+447418301291', ip))).status, 201);
  });

  test('per site a day, and per site and destination country a day', async () => {
    const t = inProcessApp({
      FCV_SITES: JSON.stringify([
        {
          siteKey: 'pk_sandbox',
          secret: 'sk_sandbox',
          origins: ['http://localhost:*'],
          limits: [
            { scope: 'site', max: 5, windowSeconds: 86400 },
            { scope: 'site-country', max: 3, windowSeconds: 86400 },
          ],
        },
      ]),
    });
    const gb = ['+447418301201', '+447418301202', '+447418301203', '+447418301204'];
    const statuses = [];
    for (const phone of gb) statuses.push((await t.call(...start(phone))).status);
    assert.deepEqual(statuses, [201, 201, 201, 429], 'three a day to GB');
    assert.equal((await t.call(...start('+33612345678'))).status, 201);
    assert.equal((await t.call(...start('+33612345679'))).status, 201);
    assert.equal((await t.call(...start('+33612345670'))).status, 429, 'five a day in all');
    t.clock.advance(DAY);
    assert.equal((await t.call(...start('+447418301204'))).status, 201);
  });

  test('X-Forwarded-For counts only behind a trusted proxy', async () => {
    const { clientIpResolver } = await import('../../server/http/client-ip.js');
    const context = (peer: string, forwarded?: string) =>
      ({
        env: {
          incoming: {
            socket: { remoteAddress: peer, remoteFamily: peer.includes(':') ? 'IPv6' : 'IPv4' },
            headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded },
          },
        },
      }) as never;
    const untrusted = clientIpResolver([]);
    assert.equal(untrusted(context('198.51.100.7', '1.2.3.4')), '198.51.100.7');
    const trusted = clientIpResolver(['10.0.0.0/8']);
    assert.equal(trusted(context('10.1.2.3', '1.2.3.4, 10.9.9.9')), '1.2.3.4');
    assert.equal(trusted(context('10.1.2.3', '6.6.6.6, 1.2.3.4')), '1.2.3.4', 'a client cannot prepend its own address');
    assert.equal(trusted(context('198.51.100.7', '1.2.3.4')), '198.51.100.7', 'only a trusted peer is believed');
  });
});

describe('number-range pumping', () => {
  const live = (phone: string, ip: string) =>
    ['POST', '/v1/verifications', { siteKey: 'pk_live_shop', phone }, { 'x-test-ip': ip }] as const;

  test('100 starts to 100 consecutive numbers of one range, from 10 addresses, place 5 calls', async () => {
    const t = inProcessApp({
      ...PRODUCTION_ENV,
      FCV_METRICS: 'on',
      FCV_METRICS_PORT: 'off',
      FCV_METRICS_TOKEN: 'metrics-token-0123456789',
    });
    const refused = new Map<string, number>();
    for (let i = 0; i < 100; i++) {
      const answer = await t.call(...live(`+4474183012${String(i).padStart(2, '0')}`, `198.51.100.${i % 10}`));
      if (answer.status === 201) continue;
      assert.equal(answer.status, 429);
      refused.set(answer.body.limit, (refused.get(answer.body.limit) ?? 0) + 1);
    }
    assert.equal(t.provider.calls.length, 5);
    assert.deepEqual(Object.fromEntries(refused), { prefix: 95 }, 'every refusal names the block limit');
    assert.match(await t.metrics!.registry.metrics(), /fcv_rate_limit_hits_total\{site="pk_live_shop",scope="prefix",enforced="true"\} 95/);
  });

  test('the block is the number without its last three digits, per site, for an hour', async () => {
    const t = inProcessApp(PRODUCTION_ENV);
    for (let i = 0; i < 5; i++) assert.equal((await t.call(...live(`+44741830120${i}`, `198.51.100.${i}`))).status, 201);
    const sixth = await t.call(...live('+447418301999', '198.51.100.9'));
    assert.equal(sixth.status, 429, '+447418301999 is in the block of +447418301200');
    assert.equal(sixth.body.limit, 'prefix');
    assert.ok(Number(sixth.headers.get('retry-after')) <= 3600);
    assert.equal((await t.call(...live('+447418302000', '198.51.100.9'))).status, 201, 'the next block is another one');
    t.clock.advance(60 * MINUTE);
    assert.equal((await t.call(...live('+447418301999', '198.51.100.9'))).status, 201, 'the hour is over');
  });

  test('tunable in FCV_LIMITS and per site, and honoured by dry run', async () => {
    const tuned = inProcessApp({ ...PRODUCTION_ENV, FCV_LIMITS: JSON.stringify([{ scope: 'prefix', max: 2, windowSeconds: 600 }]) });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await tuned.call(...live(`+44741830120${i}`, '198.51.100.1'))).status);
    assert.deepEqual(statuses, [201, 201, 429]);

    const lines: Array<Record<string, unknown>> = [];
    const site = { siteKey: 'pk_live_shop', secret: 'sk_live_shop_0123456789abcdefghijklmnop', origins: ['http://localhost:*'] };
    const dry = inProcessApp(
      {
        ...PRODUCTION_ENV,
        FCV_SITES: JSON.stringify([{ ...site, dryRun: true, limits: [{ scope: 'prefix', max: 1, windowSeconds: 3600 }] }]),
      },
      { log: (level, event, fields) => lines.push({ level, event, ...fields }) },
    );
    for (let i = 0; i < 3; i++) assert.equal((await dry.call(...live(`+44741830120${i}`, `198.51.100.${i}`))).status, 201);
    assert.deepEqual(
      lines.filter((line) => line.event === 'policy.would_block').map((line) => line.rule),
      ['limit:prefix:3600', 'limit:prefix:3600'],
    );
  });
});

describe('client addresses', () => {
  test('IPv6 clients are counted by their /64, IPv4-mapped addresses as IPv4', () => {
    assert.equal(addressBlock('2001:db8:1:2:aaaa:bbbb:cccc:dddd'), '2001:db8:1:2::/64');
    assert.equal(addressBlock('2001:0DB8:0001:0002::1'), '2001:db8:1:2::/64');
    assert.equal(addressBlock('[2001:db8:1:2::ffff]'), '2001:db8:1:2::/64');
    assert.equal(addressBlock('fe80::1%eth0'), 'fe80:0:0:0::/64');
    assert.equal(addressBlock('2001:db8::'), '2001:db8:0:0::/64');
    assert.equal(addressBlock('::ffff:192.0.2.7'), '192.0.2.7');
    assert.equal(addressBlock('::ffff:c000:207'), '192.0.2.7');
    assert.equal(addressBlock('0:0:0:0:0:ffff:192.0.2.7'), '192.0.2.7');
    assert.equal(addressBlock('192.0.2.7'), '192.0.2.7');
    assert.equal(addressBlock('::1'), '0:0:0:0::/64');
  });

  test('one IPv6 /64 has one address budget, whichever of its addresses ask', async () => {
    const t = inProcessApp({ FCV_LIMITS: JSON.stringify([{ scope: 'ip', max: 10, windowSeconds: 900 }]) });
    const statuses = [];
    for (let i = 0; i < 11; i++) {
      statuses.push((await t.call(...start(`+4474183012${10 + i}`, { 'x-test-ip': `2001:db8:77:1::${(i + 1).toString(16)}` }))).status);
    }
    assert.deepEqual(statuses, [...Array(10).fill(201), 429]);
    assert.equal(
      (await t.call(...start('+447418301299', { 'x-test-ip': '2001:db8:77:2::1' }))).status,
      201,
      'the next /64 is another client',
    );
  });

  test('an IPv4 client counts the same over IPv4 and dual-stack IPv6', async () => {
    const t = inProcessApp({ FCV_LIMITS: JSON.stringify([{ scope: 'ip', max: 2, windowSeconds: 900 }]) });
    assert.equal((await t.call(...start('+447418301210', { 'x-test-ip': '203.0.113.5' }))).status, 201);
    assert.equal((await t.call(...start('+447418301211', { 'x-test-ip': '::ffff:203.0.113.5' }))).status, 201);
    assert.equal((await t.call(...start('+447418301212', { 'x-test-ip': '::ffff:cb00:7105' }))).status, 429);
  });
});

describe('number policy: calls that cost money or prove nothing are never placed', () => {
  test('a pumping run of 1,000 starts to premium and high-risk ranges places zero calls', async () => {
    const t = inProcessApp({ FCV_LIMITS: JSON.stringify([{ scope: 'ip', max: 100000, windowSeconds: 60 }]) });
    const targets = [
      '+449001234567', // GB premium rate
      '+448712345678', // GB shared cost
      '+448001234567', // GB toll free
      '+447012345678', // GB personal number
      '+445612345678', // GB VoIP
      '+5352345678', // Cuba mobile
      '+2529071234', // Somalia
      '+67573123456', // Papua New Guinea mobile
      '+6747712345', // Nauru
      '+68874012', // Tuvalu
      '+881612345678', // Iridium satellite
      '+19005551234', // US premium
    ];
    const codes = new Map<string, number>();
    for (let i = 0; i < 1000; i++) {
      const answer = await t.call(...start(targets[i % targets.length]!, { 'x-test-ip': `198.51.100.${i % 250}` }));
      assert.ok(answer.status === 422 || answer.status === 429, `${targets[i % targets.length]} -> ${answer.status}`);
      codes.set(answer.body.code, (codes.get(answer.body.code) ?? 0) + 1);
    }
    assert.equal(t.provider.calls.length, 0);
    assert.deepEqual(
      [...codes.keys()].sort(),
      ['country_not_allowed', 'invalid_phone', 'unsupported_number_type'].filter((c) => codes.has(c)),
    );
    const counts = JSON.stringify(Object.fromEntries(codes));
    assert.ok((codes.get('unsupported_number_type') ?? 0) >= 500, counts);
    assert.ok((codes.get('country_not_allowed') ?? 0) >= 150, counts);
  });

  test('a site may allow a high-risk country explicitly', async () => {
    const t = inProcessApp({
      FCV_SITES: JSON.stringify([
        { siteKey: 'pk_sandbox', secret: 'sk_sandbox', origins: ['http://localhost:*'], allowHighRiskCountries: ['CU'] },
      ]),
    });
    assert.equal((await t.call(...start('+5352345678'))).status, 201);
    assert.equal((await t.call(...start('+67573123456'))).status, 422);
  });

  test('dry run logs what it would block and blocks nothing', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const t = inProcessApp(
      {
        FCV_SITES: JSON.stringify([
          { siteKey: 'pk_sandbox', secret: 'sk_sandbox', origins: ['http://localhost:*'], dryRun: true, countries: ['GB'] },
        ]),
        FCV_LIMITS: JSON.stringify([{ scope: 'phone', max: 1, windowSeconds: 900 }]),
      },
      { log: (level, event, fields) => lines.push({ level, event, ...fields }) },
    );
    assert.equal((await t.call(...start('+5352345678'))).status, 201);
    assert.equal((await t.call(...start('+5352345678'))).status, 201);
    const wouldBlock = lines.filter((l) => l.event === 'policy.would_block').map((l) => l.code);
    assert.deepEqual(wouldBlock, ['country_not_allowed', 'country_not_allowed', 'rate_limited']);
    assert.equal(t.provider.calls.length, 2);
  });
});

describe('brute force never verifies', () => {
  async function bruteForce(ipFor: (attempt: number) => string) {
    const t = inProcessApp(
      {
        FCV_LIMITS: JSON.stringify([
          { scope: 'phone', max: 3, windowSeconds: 900 },
          { scope: 'phone', max: 10, windowSeconds: 86400 },
          { scope: 'ip', max: 10, windowSeconds: 900 },
        ]),
      },
      { random: seededRandom(7) },
    );
    const victim = '+447418301234';
    const started = t.clock.now();
    let next = 0;
    let guesses = 0;
    let verified = 0;
    let attempt = 0;
    while (next < 10_000 && t.clock.now() - started < DAY) {
      const begun = await t.call(...start(victim, { 'x-test-ip': ipFor(attempt++) }));
      if (begun.status === 429) {
        t.clock.advance(Number(begun.headers.get('retry-after')) * 1000);
        continue;
      }
      assert.equal(begun.status, 201);
      for (;;) {
        const code = String(next++).padStart(4, '0');
        const answer = await t.call('POST', `/v1/verifications/${begun.body.id}/check`, { code });
        if (answer.status === 200) verified++;
        if (answer.status === 422 || answer.status === 200) guesses++;
        if (answer.status !== 422 || answer.body.attemptsLeft === 0) break;
      }
    }
    return { verified, guesses, calls: t.provider.calls.length };
  }

  test('every 4-digit code from one address', async () => {
    const result = await bruteForce(() => '203.0.113.1');
    assert.equal(result.verified, 0);
    assert.ok(result.guesses <= 30, `${result.guesses} guesses in a day`);
    assert.ok(result.calls <= 10);
  });

  test('every 4-digit code from many addresses', async () => {
    const result = await bruteForce((attempt) => `198.51.${attempt >> 8}.${attempt & 255}`);
    assert.equal(result.verified, 0);
    assert.ok(result.guesses <= 30, `${result.guesses} guesses in a day`);
  });
});

describe('siteverify: wrong secrets are limited per address', () => {
  const redeem = (t: ReturnType<typeof inProcessApp>, secret: string, ip: string, token = 'fcvt_AAAAAAAAAAAAAAAAAAAAAAAAAAA') =>
    t.call('POST', '/v1/siteverify', { secret, token }, { 'x-test-ip': ip });

  test('20 wrong secrets in 10 minutes from one address, then 429 with Retry-After until the window ends', async () => {
    const t = inProcessApp();
    for (let i = 0; i < 20; i++) {
      const answer = await redeem(t, `sk_guess_${i}`, '203.0.113.50');
      assert.deepEqual([answer.status, answer.body['error-codes']], [200, ['invalid-input-secret']], `guess ${i + 1}`);
    }
    const over = await redeem(t, 'sk_guess_21', '203.0.113.50');
    assert.equal(over.status, 429);
    assert.equal(over.headers.get('content-type'), 'application/problem+json');
    assert.equal(over.body.code, 'rate_limited');
    assert.equal(over.body.limit, 'siteverify');
    assert.equal(over.headers.get('retry-after'), '600');
    assert.equal(over.body.retryAfter, 600);
    assert.equal((await redeem(t, 'sk_guess_22', '203.0.113.51')).status, 200, 'another address is not affected');
    assert.equal((await redeem(t, 'sk_guess_23', '2001:db8:5::1')).status, 200);
    t.clock.advance(10 * MINUTE);
    assert.equal((await redeem(t, 'sk_guess_24', '203.0.113.50')).status, 200, 'the window is over');
  });

  test("a site's real redemptions are never slowed or counted, even from a blocked address", async () => {
    const t = inProcessApp({ FCV_SITEVERIFY_LIMIT: JSON.stringify({ max: 3, windowSeconds: 600 }) });
    const ip = '203.0.113.60';
    for (let i = 0; i < 50; i++) assert.equal((await redeem(t, 'sk_sandbox', ip)).body['error-codes'][0], 'timeout-or-duplicate');
    for (let i = 0; i < 3; i++) assert.equal((await redeem(t, 'sk_wrong', ip)).status, 200, 'fifty right secrets counted nothing');
    assert.equal((await redeem(t, 'sk_wrong', ip)).status, 429);
    const { body: session } = await t.call(...start('+447418301234'));
    const { body: verified } = await t.call('POST', `/v1/verifications/${session.id}/check`, { code: t.provider.codeFor('+447418301234') });
    const real = await redeem(t, 'sk_sandbox', ip, verified.token);
    assert.equal(real.status, 200);
    assert.equal(real.body.success, true);
  });
});

describe('idempotent starts', () => {
  test('a double submit with one Idempotency-Key places one call and answers the same twice', async () => {
    const t = inProcessApp();
    const headers = { 'idempotency-key': 'click-1' };
    const [a, b] = await Promise.all([t.call(...start('+447418301234', headers)), t.call(...start('+447418301234', headers))]);
    assert.equal(a.status, 201);
    assert.equal(b.status, 201);
    assert.equal(a.body.id, b.body.id);
    assert.equal(t.provider.calls.length, 1);
    t.clock.advance(9 * MINUTE);
    assert.equal((await t.call(...start('+447418301234', headers))).body.id, a.body.id, 'still the same within 10 minutes');
    assert.equal(t.provider.calls.length, 1);
  });

  test('a problem is replayed too, and a key reused for another number is refused', async () => {
    const t = inProcessApp();
    const headers = { 'idempotency-key': 'k2' };
    assert.equal((await t.call(...start('+448001234567', headers))).status, 422);
    assert.equal((await t.call(...start('+448001234567', headers))).body.code, 'unsupported_number_type');
    const other = await t.call(...start('+447418301234', headers));
    assert.equal(other.status, 422);
    assert.equal(other.body.code, 'invalid_request');
    assert.equal(t.provider.calls.length, 0);
  });

  test('the same key from another site is another intent', async () => {
    const t = inProcessApp({
      FCV_SITES: JSON.stringify([
        { siteKey: 'pk_sandbox', secret: 'sk_sandbox', origins: ['http://localhost:*'] },
        { siteKey: 'pk_two', secret: 'sk_two_secret', origins: ['http://localhost:*'] },
      ]),
    });
    const headers = { 'idempotency-key': 'same' };
    await t.call('POST', '/v1/verifications', { siteKey: 'pk_sandbox', phone: '+447418301234' }, headers);
    await t.call('POST', '/v1/verifications', { siteKey: 'pk_two', phone: '+447418301234' }, headers);
    assert.equal(t.provider.calls.length, 2);
  });
});

describe('tokens', () => {
  const twoSites = (secretA: string, secretB: string) =>
    inProcessApp({
      FCV_SITES: JSON.stringify([
        { siteKey: 'pk_a', secret: secretA, origins: ['http://localhost:*'] },
        { siteKey: 'pk_b', secret: secretB, origins: ['http://localhost:*'] },
      ]),
    });
  async function tokenFor(t: ReturnType<typeof inProcessApp>, siteKey: string, phone: string): Promise<string> {
    const { body: session } = await t.call('POST', '/v1/verifications', { siteKey, phone });
    const { body } = await t.call('POST', `/v1/verifications/${session.id}/check`, { code: t.provider.codeFor(phone) });
    return body.token;
  }

  test("a token redeemed with another site's secret is refused and not burned: its own site still redeems it", async () => {
    const t = twoSites('sk_a_secret_0123456789', 'sk_b_secret_0123456789');
    const token = await tokenFor(t, 'pk_a', '+447418301234');
    const stolen = await t.call('POST', '/v1/siteverify', { secret: 'sk_b_secret_0123456789', token });
    assert.deepEqual(stolen.body, { success: false, 'error-codes': ['invalid-input-response'] });
    const own = await t.call('POST', '/v1/siteverify', { secret: 'sk_a_secret_0123456789', token });
    assert.equal(own.body.success, true);
    assert.equal(own.body.siteKey, 'pk_a');
  });

  test('sites sharing a secret each redeem their own tokens', async () => {
    const t = twoSites('sk_shared_secret_0123', 'sk_shared_secret_0123');
    const a = await tokenFor(t, 'pk_a', '+447418301234');
    const b = await tokenFor(t, 'pk_b', '+447418301235');
    const redeem = (token: string) => t.call('POST', '/v1/siteverify', { secret: 'sk_shared_secret_0123', token });
    assert.deepEqual([(await redeem(a)).body.siteKey, (await redeem(b)).body.siteKey], ['pk_a', 'pk_b']);
  });

  test('a replayed token fails, and a token never verifies a second session', async () => {
    const t = inProcessApp();
    const { body: session } = await t.call(...start('+447418301234'));
    const { body: verified } = await t.call('POST', `/v1/verifications/${session.id}/check`, { code: t.provider.codeFor('+447418301234') });
    const redeem = () => t.call('POST', '/v1/siteverify', { secret: 'sk_sandbox', token: verified.token });
    assert.equal((await redeem()).body.success, true);
    assert.deepEqual((await redeem()).body, { success: false, 'error-codes': ['timeout-or-duplicate'] });
    assert.equal(t.provider.hangUps.length, 1, 'the flash call is ended once verified');
  });
});
