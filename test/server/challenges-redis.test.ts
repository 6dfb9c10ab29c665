import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { skipWithoutRedis, startRedis, type RedisServer } from '../support/redis-server.js';
import type { SandboxClient } from '../support/sandbox.js';
import { SANDBOX_PHONE, startSandbox } from '../support/sandbox.js';

/** Challenge mode behind a load balancer: any request on any instance sharing one Redis and one FCV_SECRET. */
describe('challenges across instances sharing one Redis', { skip: skipWithoutRedis }, () => {
  let redis: RedisServer;
  let a: SandboxClient;
  let b: SandboxClient;

  before(async () => {
    redis = await startRedis();
    const env = { REDIS_URL: redis.url, FCV_SECRET: 'challenge-instances-secret-0123456789abcdef' };
    [a, b] = await Promise.all([startSandbox(env), startSandbox(env)]);
  });

  after(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await redis?.stop();
  });

  test('created on one, started and verified on the other, spent on both, redeemed with its action anywhere', async () => {
    const created = await a.request('/v1/challenges', {
      method: 'POST',
      json: { secret: 'sk_sandbox', phone: SANDBOX_PHONE, action: 'payment', context: 'pay_42' },
    });
    assert.equal(created.status, 201);
    const { challenge } = created.body as { challenge: string };

    const started = await b.request('/v1/verifications', {
      method: 'POST',
      headers: { origin: 'http://localhost:5173' },
      json: { siteKey: 'pk_sandbox', challenge },
    });
    assert.equal(started.status, 201, JSON.stringify(started.body));
    const code = await b.codeFor(SANDBOX_PHONE, started.body.codeLength);
    const verified = await a.check(started.body.id, code);
    assert.equal(verified.status, 200);

    for (const instance of [a, b]) {
      const again = await instance.start({ phone: undefined, challenge });
      assert.equal(again.body.code, 'challenge_spent');
    }
    const redeemed = await b.siteverify(verified.body.token);
    assert.deepEqual([redeemed.body.success, redeemed.body.action, redeemed.body.context], [true, 'payment', 'pay_42']);
  });
});
