import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { RedisStore } from '../../server/store/redis.js';
import { StoreUnavailableError } from '../../server/store/store.js';
import { skipWithoutRedis, startRedis, type RedisServer } from '../support/redis-server.js';
import { rewrite, sessionFixture } from '../support/fixtures.js';

/** What only a shared, networked store has to get right: layout, sharing between instances, outages. */

const session = (id?: string) => sessionFixture(id ? { id } : {});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually<T>(attempt: () => Promise<T>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(50);
    }
  }
}

function nextNotification(store: RedisStore, sessionId: string, timeoutMs = 3000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`no notification for ${sessionId}`));
    }, timeoutMs);
    const unsubscribe = store.subscribe(sessionId, () => {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    });
  });
}

/** Awaits a rejection and how long it took. */
async function failure(promise: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  try {
    await promise;
  } catch (error) {
    return { error, ms: Date.now() - started };
  }
  throw new Error('expected a failure');
}

describe('RedisStore', { skip: skipWithoutRedis }, () => {
  let redis: RedisServer;
  let raw: Redis;

  before(async () => {
    redis = await startRedis();
    raw = new Redis(redis.url);
  });
  after(async () => {
    raw.disconnect();
    await redis.stop();
  });

  it('refuses a key prefix that would become the cluster hash tag', () => {
    assert.throws(() => new RedisStore({ url: redis.url, keyPrefix: 'a{b}:' }), RangeError);
  });

  it('keeps every key under its prefix, hash-tagged by id, and gives every key a TTL', async () => {
    const prefix = `layout${randomUUID().slice(0, 6)}:`;
    const store = new RedisStore({ url: redis.url, keyPrefix: prefix, log: () => {} });
    try {
      await store.createSession(session('sess1'), 60_000);
      await store.putToken('tok1', { siteKey: 'pk', phone: '+1', sessionId: 'sess1', verifiedAt: 1, origin: 'http://x' }, 60_000);
      await store.increment('ip:127.0.0.1', 60_000);
      await store.putIfAbsent('lock1', 'v', 60_000);
      await store.updateSession(
        'sess1',
        rewrite((s) => ({ ...s, status: 'ringing' })),
      );

      const keys = (await raw.keys(`${prefix}*`)).sort();
      assert.deepEqual(keys, [
        `${prefix}{ip:127.0.0.1}:count`,
        `${prefix}{lock1}:value`,
        `${prefix}{sess1}:session`,
        `${prefix}{tok1}:token`,
      ]);
      assert.equal(store.sessionKey('sess1'), `${prefix}{sess1}:session`);
      for (const key of keys) {
        const ttl = await raw.pttl(key);
        assert.ok(ttl > 55_000 && ttl <= 60_000, `${key} has PTTL ${ttl}`);
      }
    } finally {
      await store.close();
    }
  });

  it('uses fcv: as the default prefix', async () => {
    const store = new RedisStore({ url: redis.url, log: () => {} });
    try {
      const id = randomUUID();
      await store.createSession(session(id), 5_000);
      assert.equal(await raw.exists(`fcv:{${id}}:session`), 1);
    } finally {
      await store.close();
    }
  });

  it('shares state and change notifications between stores, as between server instances', async () => {
    const prefix = `shared${randomUUID().slice(0, 6)}:`;
    const a = new RedisStore({ url: redis.url, keyPrefix: prefix, log: () => {} });
    const b = new RedisStore({ url: redis.url, keyPrefix: prefix, log: () => {} });
    const other = new RedisStore({ url: redis.url, keyPrefix: `other${randomUUID().slice(0, 6)}:`, log: () => {} });
    try {
      await Promise.all([a.ping(), b.ping(), other.ping()]);
      const s = session();
      await a.createSession(s, 10_000);
      assert.deepEqual(await b.getSession(s.id), s);

      const heard = nextNotification(b, s.id);
      let otherHeard = false;
      const stop = other.subscribe(s.id, () => (otherHeard = true));
      await a.updateSession(
        s.id,
        rewrite((x) => ({ ...x, status: 'ringing' })),
      );
      await a.publish(s.id);
      await heard;
      assert.equal((await b.getSession(s.id))!.status, 'ringing');
      // Another deployment on the same Redis does not hear this one.
      await sleep(50);
      assert.equal(otherHeard, false);
      stop();

      await a.putToken('t', { siteKey: 'pk', phone: '+1', sessionId: s.id, verifiedAt: 1, origin: 'http://x' }, 10_000);
      const taken = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).takeToken('t')));
      assert.equal(taken.filter(Boolean).length, 1);

      const counts = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).increment('n', 10_000)));
      assert.equal(Math.max(...counts.map((c) => c.count)), 40);
    } finally {
      await Promise.all([a.close(), b.close(), other.close()]);
    }
  });

  it('fails fast while Redis is down and recovers by itself when it returns', async () => {
    const own = await startRedis();
    const messages: string[] = [];
    const store = new RedisStore({ url: own.url, log: (m) => messages.push(m), commandTimeoutMs: 500 });
    const peer = new RedisStore({ url: own.url, log: () => {} });
    try {
      await Promise.all([store.ping(), peer.ping()]);
      await store.putToken('before', { siteKey: 'pk', phone: '+1', sessionId: 's', verifiedAt: 1, origin: 'http://x' }, 60_000);
      const s = session();
      let notified = 0;
      const unsubscribe = store.subscribe(s.id, () => notified++);

      await own.stop();
      // Every operation turns the outage into StoreUnavailableError, promptly.
      const operations: Array<() => Promise<unknown>> = [
        () => store.ping(),
        () => store.createSession(s, 1000),
        () => store.getSession(s.id),
        () =>
          store.updateSession(
            s.id,
            rewrite((x) => x),
          ),
        () => store.putToken('t', { siteKey: 'pk', phone: '+1', sessionId: s.id, verifiedAt: 1, origin: 'http://x' }, 1000),
        () => store.takeToken('before'),
        () => store.increment('k', 1000),
        () => store.putIfAbsent('k', 'v', 1000),
        () => store.getValue('k'),
        () => store.publish(s.id),
      ];
      for (const operation of operations) {
        const { error, ms } = await failure(operation());
        assert.ok(error instanceof StoreUnavailableError, `${operation}: ${error}`);
        assert.ok(ms < 1000, `${operation} took ${ms} ms`);
      }
      // Subscribing is local and never fails; the listener is served again once Redis is back.
      const unsubscribeLater = store.subscribe('later', () => {});
      await sleep(300);
      const lossReports = messages.filter((m) => m.includes('cannot reach Redis ('));
      assert.equal(lossReports.length, 1, messages.join('\n'));

      await own.restart();
      await eventually(() => store.ping());
      await eventually(() => peer.ping());
      assert.ok(
        messages.some((m) => m.includes('reachable again')),
        messages.join('\n'),
      );
      // Notifications missed during the outage are made up for: listeners re-read after reconnecting.
      await eventually(async () => assert.ok(notified >= 1));

      // Back to normal, scripts included (the restarted Redis has an empty script cache).
      await store.putToken('after', { siteKey: 'pk', phone: '+1', sessionId: s.id, verifiedAt: 1, origin: 'http://x' }, 60_000);
      assert.ok(await store.takeToken('after'));
      assert.equal(await store.takeToken('before'), null, 'a restart without persistence forgets tokens');
      assert.equal((await store.increment('k', 1000)).count, 1);
      const heard = nextNotification(store, s.id);
      await peer.publish(s.id);
      await heard;
      unsubscribe();
      unsubscribeLater();
    } finally {
      await Promise.all([store.close(), peer.close()]);
      await own.stop();
    }
  });

  it('starts while Redis is down and serves once it is up', async () => {
    const own = await startRedis();
    await own.stop();
    const store = new RedisStore({ url: own.url, log: () => {} });
    try {
      const { error } = await failure(store.getSession('x'));
      assert.ok(error instanceof StoreUnavailableError);
      await assert.rejects(store.ping(), StoreUnavailableError);
      await own.restart();
      await eventually(() => store.ping());
      await store.createSession(session('x'), 1000);
      assert.ok(await store.getSession('x'));
    } finally {
      await store.close();
      await own.stop();
    }
  });

  it('gives up on a Redis that stops answering after the command timeout', async () => {
    const store = new RedisStore({ url: redis.url, keyPrefix: `pause${randomUUID().slice(0, 6)}:`, commandTimeoutMs: 300, log: () => {} });
    try {
      await store.ping();
      await raw.client('PAUSE', 1000, 'ALL');
      const { error, ms } = await failure(store.getSession('x'));
      assert.ok(error instanceof StoreUnavailableError, String(error));
      assert.ok(ms >= 250 && ms < 900, `${ms} ms`);
      await eventually(() => store.ping());
    } finally {
      await store.close();
    }
  });

  it('on Redis Cluster too: fails fast while it is down and recovers when it returns', async () => {
    const own = await startRedis({ cluster: true });
    const store = new RedisStore({ url: own.url, cluster: true, log: () => {} });
    const peer = new RedisStore({ url: own.url, cluster: true, log: () => {} });
    try {
      await Promise.all([store.ping(), peer.ping()]);
      const s = session();
      await store.createSession(s, 10_000);
      assert.deepEqual(await peer.getSession(s.id), s);

      await own.stop();
      for (const operation of [() => store.getSession(s.id), () => store.takeToken('t'), () => store.publish(s.id)]) {
        const { error, ms } = await failure(operation());
        assert.ok(error instanceof StoreUnavailableError, `${operation}: ${error}`);
        assert.ok(ms < 1500, `${operation} took ${ms} ms`);
      }

      await own.restart();
      await eventually(() => store.ping(), 8000);
      await eventually(() => peer.ping(), 8000);
      await store.putToken('t', { siteKey: 'pk', phone: '+1', sessionId: s.id, verifiedAt: 1, origin: 'http://x' }, 10_000);
      assert.ok(await peer.takeToken('t'));
      const heard = nextNotification(store, s.id);
      await peer.publish(s.id);
      await heard;
    } finally {
      await Promise.all([store.close(), peer.close()]);
      await own.stop();
    }
  });

  it('closes even while Redis is down', async () => {
    const own = await startRedis();
    const store = new RedisStore({ url: own.url, log: () => {} });
    await store.ping();
    await own.stop();
    await store.close();
    await assert.rejects(store.getSession('x'), StoreUnavailableError);
  });
});
