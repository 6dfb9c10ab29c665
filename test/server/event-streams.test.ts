import assert from 'node:assert/strict';
import { request, type ClientRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { MemoryStore } from '../../server/store/memory.js';
import { RedisStore } from '../../server/store/redis.js';
import { redisBackends, type RedisDeployment } from '../support/redis-backends.js';
import type { SandboxClient } from '../support/sandbox.js';
import { PAGE_ORIGIN, startSandbox, wrongCode } from '../support/sandbox.js';

/**
 * Many streams open at once on one instance: each change reaches every stream of its session promptly, and
 * the instance's cost of a stream does not grow with the number of streams (one subscription and one read
 * per session and change, not per stream). The 10,000-stream figures are in the bench (bench/streams.ts).
 */

const SESSIONS = 100;
const STREAMS_PER_SESSION = 10;

/** The memory store, counting what the streams cost it. */
class CountingStore extends MemoryStore {
  reads = 0;
  subscriptions = 0;
  unsubscriptions = 0;
  override getSession(id: string) {
    this.reads++;
    return super.getSession(id);
  }
  override subscribe(sessionId: string, listener: () => void) {
    this.subscriptions++;
    const unsubscribe = super.subscribe(sessionId, listener);
    return () => {
      this.unsubscriptions++;
      unsubscribe();
    };
  }
}

/** One open stream over its own connection, keeping every status event. */
class Stream {
  readonly events: Array<{ status: string; attemptsLeft: number }> = [];
  readonly request: ClientRequest;
  #buffer = '';
  #waiters: Array<() => void> = [];
  ended = false;

  constructor(url: string) {
    this.request = request(url, { headers: { origin: PAGE_ORIGIN, accept: 'text/event-stream' }, agent: false }, (response) => {
      assert.equal(response.statusCode, 200);
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        this.#buffer += chunk;
        let cut;
        while ((cut = this.#buffer.indexOf('\n\n')) >= 0) {
          const frame = this.#buffer.slice(0, cut);
          this.#buffer = this.#buffer.slice(cut + 2);
          const data = frame.split('\n').find((line) => line.startsWith('data:'));
          if (frame.startsWith('event: status') && data) this.events.push(JSON.parse(data.slice(5)));
        }
        for (const wake of this.#waiters.splice(0)) wake();
      });
      response.on('end', () => (this.ended = true));
    });
    this.request.on('error', () => {});
    this.request.end();
  }

  until(predicate: (event: Stream['events'][number]) => boolean, timeoutMs = 10_000): Promise<Stream['events'][number]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no such event; saw ${JSON.stringify(this.events)}`)), timeoutMs);
      const check = () => {
        const found = this.events.find(predicate);
        if (!found) return void this.#waiters.push(check);
        clearTimeout(timer);
        resolve(found);
      };
      check();
    });
  }

  close(): void {
    this.request.destroy();
  }
}

describe(`${SESSIONS * STREAMS_PER_SESSION} event streams open at once on one instance`, () => {
  const store = new CountingStore();
  let sandbox: SandboxClient;
  const sessions: Array<{ id: string; code: string; streams: Stream[] }> = [];

  before(async () => {
    sandbox = await startSandbox({ FCV_RING_SECONDS: '3' }, { store });
    for (let i = 0; i < SESSIONS; i++) {
      const phone = `+4474183${String(20_000 + i).padStart(5, '0')}`;
      const { status, body } = await sandbox.start({ phone });
      assert.equal(status, 201, JSON.stringify(body));
      sessions.push({ id: body.id, code: await sandbox.codeFor(phone, body.codeLength), streams: [] });
    }
    for (const session of sessions) {
      for (let i = 0; i < STREAMS_PER_SESSION; i++) {
        session.streams.push(new Stream(`${sandbox.url}/v1/verifications/${session.id}/events`));
      }
    }
    // Once the sandbox's flash call is over, the only changes are the ones the tests make.
    await Promise.all(sessions.flatMap((s) => s.streams.map((stream) => stream.until((e) => e.status === 'call-ended'))));
  });

  after(async () => {
    for (const session of sessions) for (const stream of session.streams) stream.close();
    await sandbox?.close();
  });

  test('a change reaches every stream of its session, for one read of the session', async () => {
    assert.equal(store.subscriptions - store.unsubscriptions, SESSIONS, 'one subscription per session, however many streams');
    const readsBefore = store.reads;
    let delivered = 0;
    // One change after another, as users' checks and callbacks arrive. How fast they travel is the bench's
    // to measure (`npm run bench -- --only streams`); a test only asks that each arrives everywhere it should.
    for (const session of sessions) {
      const arrived = session.streams.map((stream) => stream.until((e) => e.attemptsLeft === 2));
      const answer = await sandbox.check(session.id, wrongCode(session.code));
      assert.equal(answer.status, 422, JSON.stringify(answer.body));
      for (const event of await Promise.all(arrived)) {
        assert.equal(event.status, 'call-ended');
        delivered++;
      }
    }
    assert.equal(delivered, SESSIONS * STREAMS_PER_SESSION);
    // Each change was read once for all ten streams of its session (checks themselves read nothing else).
    assert.equal(store.reads - readsBefore, SESSIONS);
  });

  test('a session that ends ends all its streams, and closing streams releases their subscriptions', async () => {
    const [ending, ...others] = sessions;
    assert.equal((await sandbox.check(ending!.id, ending!.code)).status, 200);
    await Promise.all(ending!.streams.map((stream) => stream.until((e) => e.status === 'verified')));
    await waitFor(() => ending!.streams.every((stream) => stream.ended));
    await waitFor(() => store.subscriptions - store.unsubscriptions === SESSIONS - 1);

    for (const session of others) for (const stream of session.streams) stream.close();
    await waitFor(() => store.subscriptions === store.unsubscriptions);
  });
});

for (const backend of redisBackends) {
  describe(`streams on one instance follow changes made on another, sharing ${backend.name}`, { skip: backend.skip }, () => {
    const SHARED_SESSIONS = 20;
    let redis: RedisDeployment;
    let store: RedisStore;
    let following: SandboxClient;
    let changing: SandboxClient;
    const sessions: Array<{ id: string; code: string; streams: Stream[] }> = [];

    before(async () => {
      redis = await backend.start();
      const env = { ...redis.env, FCV_SECRET: 'stream-fan-out-secret-0123456789abcdefgh', FCV_RING_SECONDS: '3' };
      store = new RedisStore({ ...redis.connection, log: () => {} });
      changing = await startSandbox(env, { store });
      following = await startSandbox(env);
      // Serving once connected, as a load balancer's health check waits for.
      await waitFor(
        async () => (await following.request('/healthz')).status === 200 && (await changing.request('/healthz')).status === 200,
      );
      for (let i = 0; i < SHARED_SESSIONS; i++) {
        const phone = `+4474183${String(21_000 + i).padStart(5, '0')}`;
        const { status, body } = await changing.start({ phone });
        assert.equal(status, 201, JSON.stringify(body));
        const streams = Array.from(
          { length: STREAMS_PER_SESSION },
          () => new Stream(`${following.url}/v1/verifications/${body.id}/events`),
        );
        sessions.push({ id: body.id, code: await changing.codeFor(phone, body.codeLength), streams });
      }
      await Promise.all(sessions.flatMap((s) => s.streams.map((stream) => stream.until((e) => e.status === 'call-ended'))));
    });

    after(async () => {
      for (const session of sessions) for (const stream of session.streams) stream.close();
      await Promise.all([following?.close(), changing?.close()]);
      await store?.close();
      await redis?.close();
    });

    test('a check handled by the other instance reaches every stream of its session', async () => {
      let delivered = 0;
      for (const session of sessions) {
        const arrived = session.streams.map((stream) => stream.until((e) => e.attemptsLeft === 2));
        assert.equal((await changing.check(session.id, wrongCode(session.code))).status, 422);
        delivered += (await Promise.all(arrived)).length;
      }
      assert.equal(delivered, SHARED_SESSIONS * STREAMS_PER_SESSION);
    });
  });
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
