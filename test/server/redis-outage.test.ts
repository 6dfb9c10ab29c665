import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { redisBackends, type RedisDeployment } from '../support/redis-backends.js';
import type { SandboxClient } from '../support/sandbox.js';
import { startSandbox, wrongCode } from '../support/sandbox.js';

/**
 * Redis going away must never crash the server nor produce a false `verified`; the server answers 503
 * `store_unavailable` meanwhile and carries on by itself once Redis is back.
 */

const SECRET = 'outage-test-secret-0123456789abcdefghijkl';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(50);
  }
}

function assertStoreUnavailable(answer: { status: number; headers: Headers; body: any }, what: string): void {
  assert.equal(answer.status, 503, `${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
  assert.equal(answer.headers.get('content-type'), 'application/problem+json', what);
  assert.equal(answer.body.code, 'store_unavailable', what);
  assert.equal(answer.body.status, 503, what);
  assert.ok(!('token' in answer.body), what);
}

for (const backend of redisBackends)
  describe(`outages of ${backend.name}`, { skip: backend.skip }, () => {
    let redis: RedisDeployment;
    let sandbox: SandboxClient;
    const unhandled: unknown[] = [];
    const collect = (reason: unknown) => unhandled.push(reason);

    before(async () => {
      process.on('unhandledRejection', collect);
      redis = await backend.start();
      sandbox = await startSandbox({ ...redis.env, FCV_SECRET: SECRET });
    });

    after(async () => {
      process.off('unhandledRejection', collect);
      await sandbox?.close();
      await redis?.close();
    });

    test('Redis stopped: 503 store_unavailable; restarted: success without restarting the server', async () => {
      // A verification in flight when Redis goes away, with its code in hand.
      const phone = '+447418302001';
      const { body: inFlight } = await sandbox.start({ phone });
      const code = await sandbox.codeFor(phone, inFlight.codeLength);
      await sandbox.waitForStatus(inFlight.id, 'ringing');

      // On a cluster, the master holding this session: the whole cluster goes down, and this session is lost.
      await redis.stop(`fcv:{${inFlight.id}}:session`);

      const health = await sandbox.request('/healthz');
      assert.equal(health.status, 503);
      assert.equal(health.body.store, 'unreachable');

      const started = Date.now();
      assertStoreUnavailable(await sandbox.start({ phone: '+447418302002' }), 'start');
      assert.ok(Date.now() - started < 2000, 'a start fails fast instead of hanging');
      assertStoreUnavailable(await sandbox.check(inFlight.id, code), 'check with the right code');
      assertStoreUnavailable(await sandbox.check(inFlight.id, wrongCode(code)), 'check with a wrong code');
      assertStoreUnavailable(await sandbox.request(`/v1/verifications/${inFlight.id}`), 'status');
      const redeem = await sandbox.siteverify('fcvt_AAAAAAAAAAAAAAAAAAAAAAAAAAA');
      assert.notEqual(redeem.body.success, true);
      assert.equal(redeem.status, 503);

      // Without persistence, a restarted Redis has forgotten everything: the in-flight session is gone,
      // which must read as not found, never as verified.
      await redis.restart();
      await until(async () => (await sandbox.request('/healthz')).status === 200);
      assert.equal((await sandbox.check(inFlight.id, code)).status, 404);

      const fresh = '+447418302003';
      const { status, body } = await sandbox.start({ phone: fresh });
      assert.equal(status, 201, JSON.stringify(body));
      const right = await sandbox.check(body.id, await sandbox.codeFor(fresh, body.codeLength));
      assert.equal(right.status, 200, JSON.stringify(right.body));
      assert.equal((await sandbox.siteverify(right.body.token)).body.success, true);
      assert.deepEqual(unhandled, []);
    });

    test('a server started while Redis is down serves once Redis comes up', async () => {
      const own = await backend.start();
      await own.stop();
      const late = await startSandbox({ ...own.env, FCV_SECRET: SECRET });
      try {
        assert.equal((await late.request('/healthz')).status, 503);
        assertStoreUnavailable(await late.start({ phone: '+447418302004' }), 'start before Redis is up');
        await own.restart();
        await until(async () => (await late.request('/healthz')).status === 200);
        const { status } = await late.start({ phone: '+447418302004' });
        assert.equal(status, 201);
        assert.deepEqual(unhandled, []);
      } finally {
        await late.close();
        await own.close();
      }
    });
  });
