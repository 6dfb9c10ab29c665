import { EventEmitter } from 'node:events';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import type { Session } from '../verification/session.js';
import type { Store, TokenRecord, Unsubscribe } from './store.js';

interface Entry {
  value: unknown;
  expiresAt: number;
}

/**
 * One process's state. Entries expire lazily on read and are swept periodically, so a busy server with
 * abandoned verifications does not grow without bound.
 */
export class MemoryStore implements Store {
  readonly #entries = new Map<string, Entry>();
  readonly #events = new EventEmitter();
  readonly #clock: Clock;
  readonly #sweeper: ReturnType<typeof setInterval>;

  constructor(options: { clock?: Clock; sweepIntervalMs?: number } = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#events.setMaxListeners(0);
    this.#sweeper = setInterval(() => this.#sweep(), options.sweepIntervalMs ?? 60_000);
    this.#sweeper.unref();
  }

  // Sessions are held as JSON text: one flat string takes about a third of the heap of the object with its
  // twenty fields and strings, and parsing a copy on every read keeps callers from sharing state as cloning did.
  async createSession(session: Session, ttlMs: number): Promise<void> {
    this.#set(`session:${session.id}`, JSON.stringify(session), ttlMs);
  }

  async getSession(id: string): Promise<Session | null> {
    const text = this.#get<string>(`session:${id}`);
    return text === null ? null : (JSON.parse(text) as Session);
  }

  async updateSession(id: string, change: (session: Session) => Session | null): Promise<Session | null> {
    const key = `session:${id}`;
    const entry = this.#live(key);
    if (!entry) return null;
    const next = change(JSON.parse(entry.value as string) as Session);
    if (next) entry.value = JSON.stringify(next);
    return JSON.parse(entry.value as string) as Session;
  }

  async putToken(tokenHash: string, record: TokenRecord, ttlMs: number): Promise<void> {
    this.#set(`token:${tokenHash}`, { ...record }, ttlMs);
  }

  async takeToken(tokenHash: string): Promise<TokenRecord | null> {
    const key = `token:${tokenHash}`;
    const record = this.#get<TokenRecord>(key);
    this.#entries.delete(key);
    return record;
  }

  async increment(key: string, windowMs: number, by = 1): Promise<{ count: number; resetAt: number }> {
    const full = `counter:${key}`;
    const entry = this.#live(full);
    if (entry) {
      entry.value = (entry.value as number) + by;
      return { count: entry.value as number, resetAt: entry.expiresAt };
    }
    this.#set(full, by, windowMs);
    return { count: by, resetAt: this.#clock.now() + windowMs };
  }

  async putIfAbsent(key: string, value: string, ttlMs: number): Promise<string> {
    const full = `value:${key}`;
    const existing = this.#get<string>(full);
    if (existing !== null) return existing;
    this.#set(full, value, ttlMs);
    return value;
  }

  async getValue(key: string): Promise<string | null> {
    return this.#get<string>(`value:${key}`);
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
    this.#entries.clear();
  }

  /** Entries held, live or not yet swept; for memory measurements. */
  get size(): number {
    return this.#entries.size;
  }

  #set(key: string, value: unknown, ttlMs: number): void {
    this.#entries.set(key, { value, expiresAt: this.#clock.now() + ttlMs });
  }

  #live(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.#clock.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  #get<T>(key: string): T | null {
    return (this.#live(key)?.value as T | undefined) ?? null;
  }

  #sweep(): void {
    const now = this.#clock.now();
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(key);
  }
}
