import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ExpiringTable } from '../../server/store/expiring-table.js';
import { MemoryStore } from '../../server/store/memory.js';
import { decodeSession, decodeWritten, encodeSession } from '../../server/store/session-codec.js';
import type { Session } from '../../server/verification/session.js';
import { everyFieldSession, rewrite, sessionFixture } from '../support/fixtures.js';
import { ManualClock } from '../support/in-process.js';

/** What JSON text, the way sessions were always kept, would have made of a session. */
const viaJson = (session: unknown) => JSON.parse(JSON.stringify(session));

describe('memory store: session text', () => {
  it('reads back every field, optional ones present or not', () => {
    const cases: Session[] = [
      sessionFixture(),
      sessionFixture({ callSid: 'CA1' }),
      sessionFixture({ callSequence: 0 }),
      sessionFixture({ callEnded: 'busy' }),
      sessionFixture({ verifiedAt: 1 }),
      sessionFixture({ callSid: 'CA1', callSequence: 3, callEnded: 'completed', verifiedAt: Date.now() }),
      sessionFixture({ origin: 'https://ex\u00e4mple.test/"\\\n', locale: '\ud83d\ude00', codeHash: '' }),
    ];
    for (const session of cases) {
      const text = encodeSession(session, session.id);
      assert.equal(text[0], '[', 'written compactly');
      assert.deepEqual(decodeSession(text, session.id), session);
    }
  });

  it('writes a session with every field set compactly, and reads each field back', () => {
    // A field the codec does not list would send every session that has it to the JSON fallback.
    const session = everyFieldSession();
    const text = encodeSession(session, session.id);
    assert.equal(text[0], '[', `written compactly: ${text}`);
    assert.deepEqual(decodeSession(text, session.id), session);
    assert.deepEqual(decodeWritten(text, session), session);
  });

  it('is much shorter than the JSON object, and leaves the id to the key', () => {
    const session = sessionFixture({ callSid: 'CA0123456789abcdef0123456789abcdef' });
    const text = encodeSession(session, session.id);
    assert.ok(text.length < JSON.stringify(session).length * 0.7, text);
    assert.ok(!text.includes(session.id));
  });

  it('keeps an id that differs from the key', () => {
    const session = sessionFixture();
    assert.deepEqual(decodeSession(encodeSession(session, 'other'), 'other'), session);
  });

  it('keeps whatever it cannot write compactly as the JSON object, and reads it back as JSON would', () => {
    const odd = [
      { ...sessionFixture(), extra: { nested: [1, 2] } },
      { ...sessionFixture(), callSid: null },
      { ...sessionFixture(), callSequence: Number.NaN },
      { ...sessionFixture(), verifiedAt: Infinity },
      { ...sessionFixture(), attemptsLeft: '3' },
      { ...sessionFixture(), createdAt: -0 },
      { ...sessionFixture(), id: 42 },
      { ...sessionFixture(), status: undefined },
    ] as unknown as Session[];
    for (const session of odd) {
      const id = String(session.id);
      const text = encodeSession(session, id);
      assert.equal(text[0], '{', JSON.stringify(session));
      assert.deepEqual(decodeSession(text, id), viaJson(session));
    }
  });

  it('drops fields whose value is undefined, as JSON does', () => {
    const session = { ...sessionFixture(), callSid: undefined, unknown: undefined } as Session;
    const text = encodeSession(session, session.id);
    assert.equal(text[0], '[');
    assert.deepEqual(decodeSession(text, session.id), viaJson(session));
    assert.equal('callSid' in decodeSession(text, session.id), false);
  });

  it('reads back any session as JSON would', () => {
    const text = fc.string({ unit: 'binary' });
    const number = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -0, Number.NaN, Infinity));
    const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
    const session = fc.record({
      id: text,
      siteKey: text,
      phone: text,
      country: text,
      status: fc.constantFrom('calling', 'ringing', 'verified', 'failed'),
      codeHash: text,
      codeLength: number,
      callerIdPrefix: text,
      callSid: optional(text),
      callSequence: optional(number),
      callEnded: optional(text),
      attemptsLeft: number,
      locale: text,
      origin: text,
      createdAt: number,
      expiresAt: number,
      resendAt: number,
      verifiedAt: optional(number),
    });
    fc.assert(
      fc.property(session, fc.boolean(), (s, sameId) => {
        const id = sameId ? s.id : `${s.id}x`;
        const written = encodeSession(s, id);
        assert.deepEqual(decodeSession(written, id), viaJson(s));
        assert.deepEqual(decodeWritten(written, s as Session), viaJson(s));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('memory store: expiring table', () => {
  it('holds values until their expiry, and not at it', () => {
    const table = new ExpiringTable<string>('');
    table.set('a', 'one', 100);
    assert.equal(table.valueAt(table.find('a', 99)), 'one');
    assert.equal(table.expiresAt(table.find('a', 99)), 100);
    assert.equal(table.find('a', 100), -1);
    assert.equal(table.size, 0, 'an expired entry found is dropped');
    assert.equal(table.find('never', 0), -1);
  });

  it('replaces a value and its expiry under the same key', () => {
    const table = new ExpiringTable<string>('');
    table.set('a', 'one', 100);
    table.set('a', 'two', 200);
    assert.equal(table.size, 1);
    assert.equal(table.valueAt(table.find('a', 150)), 'two');
  });

  it('reuses freed slots without mixing values up', () => {
    const table = new ExpiringTable<number>(0);
    for (let i = 0; i < 100; i++) table.set(`k${i}`, i, 1000 + i);
    for (let i = 0; i < 100; i += 2) table.delete(`k${i}`);
    for (let i = 0; i < 100; i += 2) table.set(`n${i}`, -i, 5000);
    assert.equal(table.size, 100);
    for (let i = 0; i < 100; i++) {
      if (i % 2) {
        const slot = table.find(`k${i}`, 0);
        assert.equal(table.valueAt(slot), i);
        assert.equal(table.expiresAt(slot), 1000 + i);
      } else {
        assert.equal(table.find(`k${i}`, 0), -1);
        assert.equal(table.valueAt(table.find(`n${i}`, 0)), -i);
      }
    }
  });

  it('sweeps what has expired and keeps the rest, also when it shrinks', () => {
    const table = new ExpiringTable<string>('');
    for (let i = 0; i < 10_000; i++) table.set(`k${i}`, `v${i}`, i < 9_900 ? 10 : 20 + i);
    table.sweep(10);
    assert.equal(table.size, 100);
    for (let i = 9_900; i < 10_000; i++) {
      const slot = table.find(`k${i}`, 11);
      assert.equal(table.valueAt(slot), `v${i}`);
      assert.equal(table.expiresAt(slot), 20 + i);
    }
    // Grows again after shrinking.
    for (let i = 0; i < 5_000; i++) table.set(`m${i}`, `w${i}`, 100_000);
    assert.equal(table.size, 5_100);
    assert.equal(table.valueAt(table.find('m4999', 11)), 'w4999');
    assert.equal(table.valueAt(table.find('k9999', 11)), 'v9999');
  });

  it('clears', () => {
    const table = new ExpiringTable<string>('');
    table.set('a', 'one', 100);
    table.clear();
    assert.equal(table.size, 0);
    assert.equal(table.find('a', 0), -1);
  });
});

describe('memory store', () => {
  const setup = () => {
    const clock = new ManualClock();
    return { clock, store: new MemoryStore({ clock }) };
  };

  it('counts in a fixed window from the first increment, to the millisecond', async () => {
    const { clock, store } = setup();
    const start = clock.now();
    assert.deepEqual(await store.increment('k', 1000), { count: 1, resetAt: start + 1000 });
    clock.advance(999);
    assert.deepEqual(await store.increment('k', 1000, 2), { count: 3, resetAt: start + 1000 });
    clock.advance(1);
    assert.deepEqual(await store.increment('k', 1000), { count: 1, resetAt: start + 2000 });
    await store.close();
  });

  it('gives back a count within the window, and counts a refund after it from zero, as Redis does', async () => {
    const { clock, store } = setup();
    await store.increment('k', 1000);
    await store.increment('k', 1000);
    assert.equal((await store.increment('k', 1000, -1)).count, 1);
    clock.advance(1000);
    assert.equal((await store.increment('k', 1000, -1)).count, -1);
    await store.close();
  });

  it('keeps sessions, tokens, counters and values with the same key apart', async () => {
    const { store } = setup();
    const session = sessionFixture({ id: 'same' });
    await store.createSession(session, 1000);
    await store.putToken('same', { siteKey: 's', phone: 'p', sessionId: 'same', verifiedAt: 1, origin: 'o' }, 1000);
    assert.equal((await store.increment('same', 1000)).count, 1);
    assert.equal(await store.putIfAbsent('same', 'v', 1000), 'v');
    assert.deepEqual(await store.getSession('same'), session);
    assert.equal((await store.takeToken('same'))?.sessionId, 'same');
    assert.equal(await store.getValue('same'), 'v');
    assert.equal(store.size, 3);
    await store.close();
  });

  it('expires every kind of entry at its TTL', async () => {
    const { clock, store } = setup();
    const session = sessionFixture();
    await store.createSession(session, 1000);
    await store.putToken('t', { siteKey: 's', phone: 'p', sessionId: 'x', verifiedAt: 1, origin: 'o' }, 1000);
    await store.putIfAbsent('v', 'first', 1000);
    clock.advance(999);
    assert.ok(await store.getSession(session.id));
    assert.equal(await store.getValue('v'), 'first');
    clock.advance(1);
    assert.equal(await store.getSession(session.id), null);
    assert.equal(await store.takeToken('t'), null);
    assert.equal(await store.getValue('v'), null);
    assert.equal(await store.putIfAbsent('v', 'second', 1000), 'second');
    await store.close();
  });

  it('sweeps expired entries it is never asked for again', async () => {
    const clock = new ManualClock();
    const store = new MemoryStore({ clock, sweepIntervalMs: 5 });
    for (let i = 0; i < 50; i++) {
      await store.createSession(sessionFixture(), 1000);
      await store.increment(`c${i}`, 2000);
    }
    assert.equal(store.size, 100);
    clock.advance(1000);
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(store.size, 50);
    clock.advance(1000);
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(store.size, 0);
    await store.close();
  });

  it('hands out copies from an update, and keeps a session with fields it does not know', async () => {
    const { store } = setup();
    const session = sessionFixture();
    await store.createSession(session, 1000);
    const updated = (await store.updateSession(
      session.id,
      rewrite((s) => ({ ...s, callSid: 'CA1', note: 'x' }) as Session),
    ))!.session;
    assert.deepEqual(updated, { ...session, callSid: 'CA1', note: 'x' });
    updated.status = 'verified';
    assert.equal((await store.getSession(session.id))!.status, 'calling');
    assert.equal(((await store.getSession(session.id)) as Session & { note: string }).note, 'x');
    const without = await store.updateSession(
      session.id,
      rewrite(({ callSid: _callSid, ...rest }) => rest),
    );
    assert.equal('callSid' in without!.session, false);
    await store.close();
  });

  it('applies a change again when the change itself wrote the session, so the last run is the one kept', async () => {
    const { store } = setup();
    const session = sessionFixture({ attemptsLeft: 5 });
    await store.createSession(session, 1000);
    let runs = 0;
    const result = await store.updateSession(session.id, (s) => {
      runs++;
      if (runs === 1)
        void store.updateSession(
          session.id,
          rewrite((inner) => ({ ...inner, attemptsLeft: inner.attemptsLeft - 1 })),
        );
      return { next: { ...s, attemptsLeft: s.attemptsLeft - 1 }, result: runs };
    });
    assert.equal(runs, 2);
    assert.equal(result!.session.attemptsLeft, 3);
    assert.equal(result!.result, 2, 'the result of the run that was kept');
    assert.equal((await store.getSession(session.id))!.attemptsLeft, 3);
    await store.close();
  });

  it('gives up on a change that writes the session itself every time, instead of looping', async () => {
    const { store } = setup();
    const session = sessionFixture();
    await store.createSession(session, 1000);
    let runs = 0;
    await assert.rejects(
      store.updateSession(session.id, (s) => {
        runs++;
        void store.createSession({ ...s, attemptsLeft: runs }, 1000);
        return { next: s, result: undefined };
      }),
      { name: 'StoreUnavailableError' },
    );
    assert.equal(runs, 200);
    await store.close();
  });
});
