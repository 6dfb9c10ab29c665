import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { RedisStore } from '../../server/store/redis.js';
import { redisBackends, type RedisDeployment } from '../support/redis-backends.js';
import type { SandboxClient } from '../support/sandbox.js';
import { PAGE_ORIGIN, startSandbox, wrongCode } from '../support/sandbox.js';

/**
 * Several server instances behind one load balancer, sharing one Redis: any request may land on any
 * instance, including the provider's callbacks, and an instance may be replaced mid-flow.
 */

const SECRET = 'multi-instance-test-secret-0123456789abcdef';

/** A stream of `status` events from one instance, as the widget follows it. */
class EventStream {
  readonly statuses: string[] = [];
  readonly #controller = new AbortController();
  #waiters: Array<() => void> = [];
  readonly done: Promise<void>;

  constructor(url: string) {
    this.done = this.#read(url).catch((error: unknown) => {
      if (!this.#controller.signal.aborted) throw error;
    });
  }

  async #read(url: string): Promise<void> {
    const response = await fetch(url, { headers: { origin: PAGE_ORIGIN, accept: 'text/event-stream' }, signal: this.#controller.signal });
    assert.equal(response.status, 200);
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body!) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).trimStart())
          .join('\n');
        if (/^event: ?status$/m.test(block) && data) {
          this.statuses.push(JSON.parse(data).status);
          for (const wake of this.#waiters.splice(0)) wake();
        }
      }
    }
  }

  async waitFor(status: string, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.statuses.includes(status)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`stream saw ${this.statuses.join(', ') || 'nothing'}, not ${status}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.#controller.abort();
  }
}

let phoneCounter = 301300;
/** A fresh sandbox number per verification, so phone limits and cooldowns never couple the tests. */
const nextPhone = () => `+447418${phoneCounter++}`;

for (const backend of redisBackends)
  describe(`several instances sharing ${backend.name}`, { skip: backend.skip }, () => {
    let redis: RedisDeployment;
    let a: SandboxClient;
    let b: SandboxClient;

    before(async () => {
      redis = await backend.start();
      const env = { ...redis.env, FCV_SECRET: SECRET };
      b = await startSandbox(env);
      // A's calls report their progress to B, as a load balancer in front of both may route them.
      a = await startSandbox(env, { publicUrl: b.url });
    });

    after(async () => {
      await Promise.all([a?.close(), b?.close()]);
      await redis?.close();
    });

    beforeEach(async () => {
      await redis.flush();
    });

    test('both instances use the Redis store', async () => {
      assert.ok(a.server.store instanceof RedisStore);
      assert.ok(b.server.store instanceof RedisStore);
      for (const instance of [a, b]) {
        const health = await instance.request('/healthz');
        assert.equal(health.status, 200);
        assert.equal(health.body.store, 'ok');
      }
    });

    test('a verification started on one instance is followed, checked and redeemed on the other', async () => {
      const phone = nextPhone();
      const started = await a.start({ phone });
      assert.equal(started.status, 201, JSON.stringify(started.body));
      const { id, codeLength } = started.body;

      // The widget follows progress on A while Restcomm's callbacks land on B.
      const stream = new EventStream(`${a.url}/v1/verifications/${id}/events`);
      try {
        assert.equal(a.server.config.publicUrl, b.url);
        await stream.waitFor('ringing');
        assert.equal((await b.request(`/v1/verifications/${id}`)).body.status, 'ringing');

        const code = await a.codeFor(phone, codeLength);
        const wrong = await b.check(id, wrongCode(code));
        assert.equal(wrong.status, 422);
        assert.equal(wrong.body.attemptsLeft, 2);
        assert.equal((await a.request(`/v1/verifications/${id}`)).body.attemptsLeft, 2);

        const right = await b.check(id, code);
        assert.equal(right.status, 200, JSON.stringify(right.body));
        assert.equal(right.body.status, 'verified');
        // The check on B reaches the stream on A.
        await stream.waitFor('verified');

        const redeemed = await a.siteverify(right.body.token);
        assert.equal(redeemed.body.success, true);
        assert.equal(redeemed.body.phone, phone);
        const again = await b.siteverify(right.body.token);
        assert.deepEqual(again.body, { success: false, 'error-codes': ['timeout-or-duplicate'] });
      } finally {
        stream.close();
        await stream.done;
      }
    });

    test('a status callback posted to the other instance moves the session there too', async () => {
      const phone = nextPhone();
      const { body: started } = await b.start({ phone });
      await b.waitForStatus(started.id, 'ringing');
      // The hook token is never shown to browsers; every instance derives it from the shared secret.
      const stored = JSON.parse((await redis.raw.get(`fcv:{${started.id}}:session`))!);
      const hookToken = b.server.service.hookToken(started.id);
      const stream = new EventStream(`${b.url}/v1/verifications/${started.id}/events`);
      try {
        await stream.waitFor('ringing');
        const hook = await a.request(`/hooks/restcomm/${hookToken}/status`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ CallSid: stored.callSid, CallStatus: 'answered', SequenceNumber: '50' }),
        });
        assert.equal(hook.status, 200);
        await stream.waitFor('answered');
        assert.equal((await b.request(`/v1/verifications/${started.id}`)).body.status, 'answered');
      } finally {
        stream.close();
        await stream.done;
      }
    });

    test('50 concurrent redemptions of one token across two instances: exactly one succeeds', async () => {
      const phone = nextPhone();
      const { body: started } = await a.start({ phone });
      const code = await a.codeFor(phone, started.codeLength);
      const { body: verified } = await b.check(started.id, code);
      assert.equal(verified.status, 'verified');

      const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).siteverify(verified.token)));
      assert.ok(answers.every((answer) => answer.status === 200));
      const successes = answers.filter((answer) => answer.body.success === true);
      assert.equal(successes.length, 1);
      assert.equal(successes[0]!.body.phone, phone);
      for (const answer of answers.filter((x) => x.body.success !== true)) {
        assert.deepEqual(answer.body['error-codes'], ['timeout-or-duplicate']);
      }
    });

    test('wrong codes sent to both instances at once never get more attempts than the limit', async () => {
      const phone = nextPhone();
      const { body: started } = await a.start({ phone });
      const code = await a.codeFor(phone, started.codeLength);
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).check(started.id, wrongCode(code))));
      const wrong = answers.filter((answer) => answer.status === 422);
      const refused = answers.filter((answer) => answer.status === 423);
      assert.equal(wrong.length, started.attemptsLeft, answers.map((x) => x.status).join(' '));
      assert.equal(refused.length, answers.length - wrong.length);
      assert.deepEqual(
        wrong.map((answer) => answer.body.attemptsLeft).sort(),
        Array.from({ length: started.attemptsLeft }, (_, i) => i),
      );
      for (const answer of refused) assert.equal(answer.body.code, 'too_many_attempts');

      // Locked everywhere: not even the right code gets through now.
      for (const instance of [a, b]) {
        const late = await instance.check(started.id, code);
        assert.equal(late.status, 423);
        assert.equal((await instance.request(`/v1/verifications/${started.id}`)).body.status, 'locked');
      }
    });

    test('the right code sent to both instances at once verifies once', async () => {
      const phone = nextPhone();
      const { body: started } = await a.start({ phone });
      const code = await a.codeFor(phone, started.codeLength);
      const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).check(started.id, code)));
      const tokens = answers.filter((answer) => answer.status === 200);
      assert.equal(tokens.length, 1, answers.map((x) => x.status).join(' '));
      for (const answer of answers.filter((x) => x.status !== 200)) assert.equal(answer.body.code, 'already_verified');
    });

    test('rate limits count across instances', async () => {
      const limited = { ...redis.env, FCV_SECRET: SECRET, FCV_LIMITS: JSON.stringify([{ scope: 'ip', max: 4, windowSeconds: 60 }]) };
      const c = await startSandbox(limited);
      const d = await startSandbox(limited);
      try {
        const answers = [];
        for (let i = 0; i < 6; i++) answers.push(await (i % 2 ? c : d).start({ phone: nextPhone() }));
        assert.deepEqual(
          answers.map((answer) => answer.status),
          [201, 201, 201, 201, 429, 429],
        );
        assert.equal(answers[4]!.body.code, 'rate_limited');
        assert.ok(Number(answers[4]!.headers.get('retry-after')) > 0);
      } finally {
        await Promise.all([c.close(), d.close()]);
      }
    });

    test('a block of numbers is one budget across instances', async () => {
      const limited = {
        ...redis.env,
        FCV_SECRET: SECRET,
        FCV_LIMITS: JSON.stringify([{ scope: 'prefix', max: 3, windowSeconds: 3600 }]),
      };
      const c = await startSandbox(limited);
      const d = await startSandbox(limited);
      try {
        const answers = [];
        for (let i = 0; i < 5; i++) answers.push(await (i % 2 ? c : d).start({ phone: `+4474183015${String(i * 7).padStart(2, '0')}` }));
        assert.deepEqual(
          answers.map((answer) => answer.status),
          [201, 201, 201, 429, 429],
        );
        assert.equal(answers[3]!.body.limit, 'prefix');
      } finally {
        await Promise.all([c.close(), d.close()]);
      }
    });

    test('an instance restarted mid-flow: its replacement finishes the flow', async () => {
      const env = { ...redis.env, FCV_SECRET: SECRET };
      const first = await startSandbox(env);
      const phone = nextPhone();
      const { body: started } = await first.start({ phone });
      await first.waitForStatus(started.id, 'ringing');
      const code = await first.codeFor(phone, started.codeLength);
      const stored = JSON.parse((await redis.raw.get(`fcv:{${started.id}}:session`))!);
      const hookToken = first.server.service.hookToken(started.id);
      await first.close();

      const replacement = await startSandbox(env);
      try {
        assert.equal((await replacement.request(`/v1/verifications/${started.id}`)).body.status, 'ringing');
        // Restcomm keeps calling the same public URL, now served by the replacement.
        const hook = await replacement.request(`/hooks/restcomm/${hookToken}/status`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ CallSid: stored.callSid, CallStatus: 'completed', SequenceNumber: '50', CallDuration: '0' }),
        });
        assert.equal(hook.status, 200);
        assert.equal((await replacement.request(`/v1/verifications/${started.id}`)).body.status, 'call-ended');

        const right = await replacement.check(started.id, code);
        assert.equal(right.status, 200, JSON.stringify(right.body));
        const redeemed = await a.siteverify(right.body.token);
        assert.equal(redeemed.body.success, true);
        assert.equal(redeemed.body.phone, phone);
      } finally {
        await replacement.close();
      }
    });
  });
