import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { MemoryStore } from '../../server/store/memory.js';
import { RedisStore } from '../../server/store/redis.js';
import type { Store, TokenRecord } from '../../server/store/store.js';
import type { Session } from '../../server/verification/session.js';
import { redisBackends, type RedisDeployment } from '../support/redis-backends.js';
import { everyFieldSession, rewrite, sessionFixture } from '../support/fixtures.js';

/** The behaviour the server relies on, whichever store serves it. Real time throughout, with short TTLs. */
interface Harness {
  name: string;
  skip: string | false;
  setup?: () => Promise<void>;
  teardown?: () => Promise<void>;
  create: () => Store;
}

const harnesses: Harness[] = [
  { name: 'MemoryStore', skip: false, create: () => new MemoryStore() },
  ...redisBackends.map((backend): Harness => {
    let redis: RedisDeployment | undefined;
    return {
      name: `RedisStore on ${backend.name}`,
      skip: backend.skip,
      setup: async () => {
        redis = await backend.start();
      },
      teardown: async () => {
        await redis?.close();
      },
      // A fresh prefix per test keeps tests apart without flushing the server.
      create: () => new RedisStore({ ...redis!.connection, keyPrefix: `t${randomUUID().slice(0, 8)}:`, log: () => {} }),
    };
  }),
];

const session = sessionFixture;

function tokenRecord(overrides: Partial<TokenRecord> = {}): TokenRecord {
  return {
    siteKey: 'pk_test',
    phone: '+447700900123',
    sessionId: randomUUID(),
    verifiedAt: Date.now(),
    origin: 'http://localhost:1234',
    ...overrides,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves with the number of calls once `count` calls arrived; rejects when they do not within the time. */
function listen(store: Store, sessionId: string, count = 1, timeoutMs = 2000) {
  let calls = 0;
  let release: () => void = () => {};
  const reached = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${calls} of ${count} notifications for ${sessionId}`)), timeoutMs);
    release = () => {
      clearTimeout(timer);
      resolve();
    };
  });
  const unsubscribe = store.subscribe(sessionId, () => {
    calls++;
    if (calls >= count) release();
  });
  return { reached, unsubscribe, calls: () => calls };
}

for (const harness of harnesses) {
  describe(`store contract: ${harness.name}`, { skip: harness.skip }, () => {
    let store: Store;

    before(async () => harness.setup?.());
    after(async () => harness.teardown?.());
    beforeEach(async () => {
      store = harness.create();
      await store.ping();
    });
    afterEach(async () => store.close());

    describe('sessions', () => {
      it('stores and returns a session; an unknown id is null', async () => {
        const s = session({ callSid: 'CA1', callSequence: 2 });
        await store.createSession(s, 10_000);
        assert.deepEqual(await store.getSession(s.id), s);
        assert.equal(await store.getSession('nope'), null);
      });

      it('returns copies, so a caller cannot change the stored session by mutating what it got', async () => {
        const s = session();
        await store.createSession(s, 10_000);
        s.status = 'verified';
        const read = (await store.getSession(s.id))!;
        assert.equal(read.status, 'calling');
        read.attemptsLeft = 0;
        assert.equal((await store.getSession(s.id))!.attemptsLeft, 5);
      });

      it('forgets a session when its TTL ends', async () => {
        const s = session();
        await store.createSession(s, 60);
        assert.ok(await store.getSession(s.id));
        await sleep(120);
        assert.equal(await store.getSession(s.id), null);
        assert.equal(
          await store.updateSession(
            s.id,
            rewrite((x) => ({ ...x, status: 'ringing' })),
          ),
          null,
        );
      });

      it('applies a change and resolves to the session as stored', async () => {
        const s = session();
        await store.createSession(s, 10_000);
        const updated = await store.updateSession(
          s.id,
          rewrite((x) => ({ ...x, status: 'ringing', callSequence: 1 })),
        );
        assert.deepEqual(updated?.session, { ...s, status: 'ringing', callSequence: 1 });
        assert.deepEqual(await store.getSession(s.id), updated?.session);
      });

      it('leaves the session as it is when the change returns null, and resolves to it', async () => {
        const s = session();
        await store.createSession(s, 10_000);
        assert.deepEqual(
          (
            await store.updateSession(
              s.id,
              rewrite(() => null),
            )
          )?.session,
          s,
        );
        assert.deepEqual(await store.getSession(s.id), s);
      });

      it('keeps every optional field, fields it does not know, and the removal of a field', async () => {
        const s = session({ callSid: 'CA1', callSequence: 0, callEnded: 'busy', verifiedAt: Date.now() });
        await store.createSession(s, 10_000);
        assert.deepEqual(await store.getSession(s.id), s);
        const extended = { ...s, origin: 'https://\u00e9xample.test/"q"', extra: { n: [1, 2] } } as Session;
        assert.deepEqual(
          (
            await store.updateSession(
              s.id,
              rewrite(() => extended),
            )
          )?.session,
          extended,
        );
        assert.deepEqual(await store.getSession(s.id), extended);
        const { callSid: _callSid, callEnded: _callEnded, ...fewer } = s;
        assert.deepEqual(
          (
            await store.updateSession(
              s.id,
              rewrite(() => fewer),
            )
          )?.session,
          fewer,
        );
        assert.deepEqual(await store.getSession(s.id), fewer);
      });

      it('keeps every field of a session, each set to a value no default has', async () => {
        const full = everyFieldSession();
        await store.createSession(full, 10_000);
        assert.deepEqual(await store.getSession(full.id), full);
        const changed = { ...full, attemptsLeft: 1, callSequence: 8 };
        assert.deepEqual(
          (
            await store.updateSession(
              full.id,
              rewrite(() => changed),
            )
          )?.session,
          changed,
        );
        assert.deepEqual(await store.getSession(full.id), changed);
      });

      it('resolves to null for an unknown session without calling the change', async () => {
        let called = false;
        const result = await store.updateSession('missing', (x) => {
          called = true;
          return { next: x, result: 'changed' };
        });
        assert.equal(result, null);
        assert.equal(called, false);
      });

      it('keeps the TTL across updates instead of extending it', async () => {
        const s = session();
        await store.createSession(s, 150);
        await sleep(60);
        await store.updateSession(
          s.id,
          rewrite((x) => ({ ...x, status: 'ringing' })),
        );
        await sleep(130);
        assert.equal(await store.getSession(s.id), null);
      });

      it('loses no update when many run at once', async () => {
        const s = session({ attemptsLeft: 40 });
        await store.createSession(s, 10_000);
        const results = await Promise.all(
          Array.from({ length: 40 }, () =>
            store.updateSession(s.id, (x) => ({ next: { ...x, attemptsLeft: x.attemptsLeft - 1 }, result: x.attemptsLeft })),
          ),
        );
        assert.equal((await store.getSession(s.id))!.attemptsLeft, 0);
        // Each update saw a different state: every intermediate value appears exactly once.
        const seen = results.map((r) => r!.session.attemptsLeft).sort((a, b) => a - b);
        assert.deepEqual(
          seen,
          Array.from({ length: 40 }, (_, i) => i),
        );
        // Each result is the one of the run that was applied, however many runs were retried.
        for (const r of results) assert.equal(r!.result, r!.session.attemptsLeft + 1);
      });

      it('applies a conditional change only while its condition holds, even under contention', async () => {
        const s = session({ attemptsLeft: 3 });
        await store.createSession(s, 10_000);
        const results = await Promise.all(
          Array.from({ length: 30 }, () =>
            store.updateSession(s.id, (x) =>
              x.attemptsLeft > 0
                ? { next: { ...x, attemptsLeft: x.attemptsLeft - 1 }, result: 'took one' }
                : { next: null, result: 'none left' },
            ),
          ),
        );
        // Exactly three callers saw their own decrement land; the rest saw the exhausted session.
        const counts = results.map((r) => r!.session.attemptsLeft);
        assert.equal(results.filter((r) => r!.result === 'took one').length, 3);
        assert.deepEqual(counts.filter((n) => n > 0).sort(), [1, 2]);
        assert.equal(counts.filter((n) => n === 0).length, 28);
        assert.equal((await store.getSession(s.id))!.attemptsLeft, 0);
      });
    });

    describe('tokens', () => {
      it('hands a token record out once', async () => {
        const record = tokenRecord();
        await store.putToken('th-1', record, 10_000);
        assert.deepEqual(await store.takeToken('th-1'), record);
        assert.equal(await store.takeToken('th-1'), null);
        assert.equal(await store.takeToken('never-stored'), null);
      });

      it('hands a token record to exactly one of many concurrent takers', async () => {
        await store.putToken('th-race', tokenRecord(), 10_000);
        const results = await Promise.all(Array.from({ length: 50 }, () => store.takeToken('th-race')));
        assert.equal(results.filter((r) => r !== null).length, 1);
      });

      it("leaves a token alone for another site's keys, and hands it to its own site once", async () => {
        const record = tokenRecord({ siteKey: 'pk_shop' });
        await store.putToken('th-site', record, 10_000);
        const read = await store.takeToken('th-site', ['pk_other', 'pk_third']);
        assert.equal(read?.siteKey, 'pk_shop', 'the caller learns whose it is');
        assert.deepEqual(await store.takeToken('th-site', ['pk_other']), record, 'and it is still there');
        assert.deepEqual(await store.takeToken('th-site', ['pk_other', 'pk_shop']), record);
        assert.equal(await store.takeToken('th-site', ['pk_shop']), null, 'taken once');
      });

      it("hands a token to exactly one of many concurrent takers of its site, whatever other sites' takers do", async () => {
        await store.putToken('th-site-race', tokenRecord({ siteKey: 'pk_shop' }), 10_000);
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) => store.takeToken('th-site-race', i % 2 ? ['pk_shop'] : ['pk_other'])),
        );
        const mine = results.filter((record, i) => record !== null && i % 2 === 1);
        assert.equal(mine.length, 1, 'one success for the site');
        assert.ok(
          results.every((record, i) => i % 2 === 1 || record === null || record.siteKey === 'pk_shop'),
          'the other site only reads it',
        );
        assert.equal(await store.takeToken('th-site-race', ['pk_shop']), null, 'gone once its site has it');
      });

      it('does not hand out an expired token', async () => {
        await store.putToken('th-old', tokenRecord(), 50);
        await sleep(100);
        assert.equal(await store.takeToken('th-old'), null);
      });
    });

    describe('counters', () => {
      it('counts in a fixed window that starts at the first increment', async () => {
        const before = Date.now();
        const first = await store.increment('k', 10_000);
        assert.equal(first.count, 1);
        assert.ok(first.resetAt >= before + 9_900 && first.resetAt <= Date.now() + 10_000, `${first.resetAt}`);
        await sleep(30);
        const second = await store.increment('k', 10_000);
        assert.equal(second.count, 2);
        // A later increment does not push the end of the window.
        assert.ok(Math.abs(second.resetAt - first.resetAt) < 25, `${second.resetAt - first.resetAt}`);
        assert.equal((await store.increment('k', 10_000, 5)).count, 7);
        assert.equal((await store.increment('other', 10_000)).count, 1);
      });

      it('starts again after the window', async () => {
        await store.increment('w', 60);
        await store.increment('w', 60);
        await sleep(120);
        const fresh = await store.increment('w', 60, 3);
        assert.equal(fresh.count, 3);
      });

      it('gives every concurrent increment its own count', async () => {
        const results = await Promise.all(Array.from({ length: 100 }, () => store.increment('c', 10_000)));
        assert.deepEqual(
          results.map((r) => r.count).sort((a, b) => a - b),
          Array.from({ length: 100 }, (_, i) => i + 1),
        );
      });

      it('keeps counters apart from other keys with the same name', async () => {
        await store.putIfAbsent('shared', 'x', 10_000);
        assert.equal((await store.increment('shared', 10_000)).count, 1);
        assert.equal(await store.putIfAbsent('shared', 'y', 10_000), 'x');
      });
    });

    describe('putIfAbsent', () => {
      it('keeps the first value and returns it to later callers', async () => {
        assert.equal(await store.getValue('once'), null);
        assert.equal(await store.putIfAbsent('once', 'first', 10_000), 'first');
        assert.equal(await store.putIfAbsent('once', 'second', 10_000), 'first');
        assert.equal(await store.getValue('once'), 'first');
      });

      it('lets exactly one of many concurrent callers win', async () => {
        const values = await Promise.all(Array.from({ length: 30 }, (_, i) => store.putIfAbsent('race', `v${i}`, 10_000)));
        assert.equal(new Set(values).size, 1);
      });

      it('frees the key when the TTL ends', async () => {
        await store.putIfAbsent('brief', 'a', 50);
        await sleep(100);
        assert.equal(await store.getValue('brief'), null);
        assert.equal(await store.putIfAbsent('brief', 'b', 10_000), 'b');
      });
    });

    describe('change notifications', () => {
      it('tells every subscriber of a session, and only of that session', async () => {
        const a = listen(store, 's-a');
        const a2 = listen(store, 's-a');
        const b = listen(store, 's-b');
        await store.publish('s-a');
        await Promise.all([a.reached, a2.reached]);
        // A later notification for b acts as a barrier: anything for b from the first publish would be in.
        await store.publish('s-b');
        await b.reached;
        assert.equal(b.calls(), 1);
        for (const l of [a, a2, b]) l.unsubscribe();
      });

      it('stops telling a listener once it unsubscribes, and keeps telling the others', async () => {
        const gone = listen(store, 's-u');
        const stays = listen(store, 's-u', 2);
        await store.publish('s-u');
        await gone.reached;
        gone.unsubscribe();
        gone.unsubscribe();
        await store.publish('s-u');
        await stays.reached;
        assert.equal(gone.calls(), 1);
        stays.unsubscribe();
      });
    });

    it('answers ping and closes', async () => {
      await store.ping();
    });
  });
}
