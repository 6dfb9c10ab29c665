import { EventEmitter } from 'node:events';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import type { Session } from '../verification/session.js';
import { ExpiringTable } from './expiring-table.js';
import { decodeSession, decodeWritten, encodeSession } from './session-codec.js';
import type { SessionChange, SessionUpdate, Store, TokenRecord, Unsubscribe } from './store.js';
import { StoreUnavailableError } from './store.js';

/** Rounds of a change that keeps writing the session itself before giving up, as the Redis store does. */
const MAX_UPDATE_ROUNDS = 200;

/**
 * One process's state. Entries expire lazily on read and are swept periodically, so a busy server with
 * abandoned verifications does not grow without bound.
 *
 * Each kind of entry has its own table, so keys need no prefix. Sessions are held as compact text (see
 * `session-codec.ts`): one flat string takes a fraction of the heap of the object with its twenty fields,
 * and decoding a copy on every read keeps callers from sharing state.
 */
export class MemoryStore implements Store {
  readonly #sessions = new ExpiringTable<string>('');
  readonly #tokens = new ExpiringTable<TokenRecord | null>(null);
  readonly #counters = new ExpiringTable<number>(0);
  readonly #values = new ExpiringTable<string>('');
  readonly #events = new EventEmitter();
  readonly #clock: Clock;
  readonly #sweeper: ReturnType<typeof setInterval>;

  constructor(options: { clock?: Clock; sweepIntervalMs?: number } = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#events.setMaxListeners(0);
    this.#sweeper = setInterval(() => this.#sweep(), options.sweepIntervalMs ?? 60_000);
    this.#sweeper.unref();
  }

  async createSession(session: Session, ttlMs: number): Promise<void> {
    const id = session.id;
    this.#sessions.set(id, encodeSession(session, id), this.#clock.now() + ttlMs);
  }

  async getSession(id: string): Promise<Session | null> {
    const sessions = this.#sessions;
    const slot = sessions.find(id, this.#clock.now());
    return slot < 0 ? null : decodeSession(sessions.valueAt(slot), id);
  }

  async updateSession<R>(id: string, change: (session: Session) => SessionChange<R>): Promise<SessionUpdate<R> | null> {
    const sessions = this.#sessions;
    for (let round = 0; round < MAX_UPDATE_ROUNDS; round++) {
      const slot = sessions.find(id, this.#clock.now());
      if (slot < 0) return null;
      const text = sessions.valueAt(slot);
      const { next, result } = change(decodeSession(text, id));
      // Should `change` itself have touched the store, apply it again to what is there now.
      if (sessions.valueAt(slot) !== text) continue;
      if (next === null) return { session: decodeSession(text, id), result };
      const nextText = encodeSession(next, id);
      sessions.setValueAt(slot, nextText);
      return { session: decodeWritten(nextText, next), result };
    }
    throw new StoreUnavailableError(`Session ${id} is being updated too often to apply a change.`);
  }

  async putToken(tokenHash: string, record: TokenRecord, ttlMs: number): Promise<void> {
    this.#tokens.set(tokenHash, { ...record }, this.#clock.now() + ttlMs);
  }

  async takeToken(tokenHash: string, siteKeys?: readonly string[]): Promise<TokenRecord | null> {
    const tokens = this.#tokens;
    const slot = tokens.find(tokenHash, this.#clock.now());
    if (slot < 0) return null;
    const record = tokens.valueAt(slot)!;
    if (!siteKeys || siteKeys.includes(record.siteKey)) tokens.delete(tokenHash);
    return { ...record };
  }

  async increment(key: string, windowMs: number, by = 1): Promise<{ count: number; resetAt: number }> {
    const counters = this.#counters;
    const now = this.#clock.now();
    const slot = counters.find(key, now);
    if (slot >= 0) {
      const count = counters.valueAt(slot) + by;
      counters.setValueAt(slot, count);
      return { count, resetAt: counters.expiresAt(slot) };
    }
    const resetAt = now + windowMs;
    counters.add(key, by, resetAt);
    return { count: by, resetAt };
  }

  async putIfAbsent(key: string, value: string, ttlMs: number): Promise<string> {
    const values = this.#values;
    const now = this.#clock.now();
    const slot = values.find(key, now);
    if (slot >= 0) return values.valueAt(slot);
    values.add(key, value, now + ttlMs);
    return value;
  }

  async getValue(key: string): Promise<string | null> {
    const values = this.#values;
    const slot = values.find(key, this.#clock.now());
    return slot < 0 ? null : values.valueAt(slot);
  }

  async publish(sessionId: string): Promise<void> {
    this.#events.emit(sessionId);
  }

  subscribe(sessionId: string, listener: () => void): Unsubscribe {
    this.#events.on(sessionId, listener);
    return () => this.#events.off(sessionId, listener);
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    this.#events.removeAllListeners();
    for (const table of this.#tables()) table.clear();
  }

  /** Entries held, live or not yet swept; for memory measurements. */
  get size(): number {
    let size = 0;
    for (const table of this.#tables()) size += table.size;
    return size;
  }

  #tables(): ExpiringTable<unknown>[] {
    return [this.#sessions, this.#tokens, this.#counters, this.#values];
  }

  #sweep(): void {
    const now = this.#clock.now();
    for (const table of this.#tables()) table.sweep(now);
  }
}
