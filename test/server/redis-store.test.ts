import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Cluster } from 'ioredis';
import { RedisStore } from '../../server/store/redis.js';
import { StoreUnavailableError } from '../../server/store/store.js';
import { redisBackends, type RedisDeployment } from '../support/redis-backends.js';
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

for (const backend of redisBackends)
  describe(`RedisStore on ${backend.name}`, { skip: backend.skip }, () => {
    let redis: RedisDeployment;
    const cluster = backend.name.includes('Cluster');

    before(async () => {
      redis = await backend.start();
    });
    after(async () => {
      await redis.close();
    });

    it('refuses a key prefix that would become the cluster hash tag', () => {
      assert.throws(() => new RedisStore({ ...redis.connection, keyPrefix: 'a{b}:' }), RangeError);
    });

    it('keeps every key under its prefix, hash-tagged by id, and gives every key a TTL', async () => {
      const prefix = `layout${randomUUID().slice(0, 6)}:`;
      const store = new RedisStore({ ...redis.connection, keyPrefix: prefix, log: () => {} });
      try {
        await store.createSession(session('sess1'), 60_000);
        await store.putToken('tok1', { siteKey: 'pk', phone: '+1', sessionId: 'sess1', verifiedAt: 1, origin: 'http://x' }, 60_000);
        await store.increment('ip:127.0.0.1', 60_000);
        await store.putIfAbsent('lock1', 'v', 60_000);
        await store.updateSession(
          'sess1',
          rewrite((s) => ({ ...s, status: 'ringing' })),
        );

        const keys = (await redis.keys(`${prefix}*`)).sort();
        assert.deepEqual(keys, [
          `${prefix}{ip:127.0.0.1}:count`,
          `${prefix}{lock1}:value`,
          `${prefix}{sess1}:session`,
          `${prefix}{tok1}:token`,
        ]);
        assert.equal(store.sessionKey('sess1'), `${prefix}{sess1}:session`);
        for (const key of keys) {
          const ttl = await redis.raw.pttl(key);
          assert.ok(ttl > 55_000 && ttl <= 60_000, `${key} has PTTL ${ttl}`);
        }
      } finally {
        await store.close();
      }
    });

    it('uses fcv: as the default prefix', async () => {
      const store = new RedisStore({ ...redis.connection, log: () => {} });
      try {
        const id = randomUUID();
        await store.createSession(session(id), 5_000);
        assert.equal(await redis.raw.exists(`fcv:{${id}}:session`), 1);
      } finally {
        await store.close();
      }
    });

    it('shares state and change notifications between stores, as between server instances', async () => {
      const prefix = `shared${randomUUID().slice(0, 6)}:`;
      const a = new RedisStore({ ...redis.connection, keyPrefix: prefix, log: () => {} });
      const b = new RedisStore({ ...redis.connection, keyPrefix: prefix, log: () => {} });
      const other = new RedisStore({ ...redis.connection, keyPrefix: `other${randomUUID().slice(0, 6)}:`, log: () => {} });
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
      const own = await backend.start();
      const messages: string[] = [];
      const store = new RedisStore({ ...own.connection, log: (m) => messages.push(m), commandTimeoutMs: 500 });
      const peer = new RedisStore({ ...own.connection, log: () => {} });
      try {
        await Promise.all([store.ping(), peer.ping()]);
        await store.putToken('before', { siteKey: 'pk', phone: '+1', sessionId: 's', verifiedAt: 1, origin: 'http://x' }, 60_000);
        const s = session();
        let notified = 0;
        const unsubscribe = store.subscribe(s.id, () => notified++);

        // On a cluster, the master the change channel lives on, so the subscription has to recover too.
        await own.stop('fcv:events');
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
        // A restart without persistence forgets tokens (on a cluster, those of the restarted master only).
        if (!cluster) assert.equal(await store.takeToken('before'), null);
        assert.equal((await store.increment('k', 1000)).count, 1);
        const heard = nextNotification(store, s.id);
        await peer.publish(s.id);
        await heard;
        unsubscribe();
        unsubscribeLater();
      } finally {
        await Promise.all([store.close(), peer.close()]);
        await own.close();
      }
    });

    it('starts while Redis is down and serves once it is up', async () => {
      const own = await backend.start();
      await own.stop();
      const store = new RedisStore({ ...own.connection, log: () => {} });
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
        await own.close();
      }
    });

    it('gives up on a Redis that stops answering after the command timeout', async () => {
      const store = new RedisStore({
        ...redis.connection,
        keyPrefix: `pause${randomUUID().slice(0, 6)}:`,
        commandTimeoutMs: 300,
        log: () => {},
      });
      try {
        await store.ping();
        await redis.pause(1000);
        const { error, ms } = await failure(store.getSession('x'));
        assert.ok(error instanceof StoreUnavailableError, String(error));
        assert.ok(ms >= 250 && ms < 900, `${ms} ms`);
        await eventually(() => store.ping());
      } finally {
        await store.close();
      }
    });

    if (cluster)
      it('announces changes on a shard channel, held by the master owning its slot', async () => {
        const prefix = `shard${randomUUID().slice(0, 6)}:`;
        const store = new RedisStore({ ...redis.connection, keyPrefix: prefix, log: () => {} });
        try {
          await store.ping();
          const masters = (redis.raw as unknown as Cluster).nodes('master');
          const held = await Promise.all(masters.map(async (node) => (await node.pubsub('SHARDCHANNELS', `${prefix}*`)) as string[]));
          assert.deepEqual(held.flat(), [`${prefix}events`]);
          const plain = await Promise.all(masters.map(async (node) => (await node.pubsub('CHANNELS', `${prefix}*`)) as string[]));
          assert.deepEqual(plain.flat(), []);
        } finally {
          await store.close();
        }
      });

    it('closes even while Redis is down', async () => {
      const own = await backend.start();
      const store = new RedisStore({ ...own.connection, log: () => {} });
      try {
        await store.ping();
        await own.stop();
        await store.close();
        await assert.rejects(store.getSession('x'), StoreUnavailableError);
      } finally {
        await own.close();
      }
    });
  });
