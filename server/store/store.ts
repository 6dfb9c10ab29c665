import type { Session } from '../verification/session.js';

/** What a redeemed token proves. */
export interface TokenRecord {
  siteKey: string;
  phone: string;
  sessionId: string;
  verifiedAt: number;
  /** Origin of the page the verification ran on. */
  origin: string;
  /** A challenge's action and context, when one chose the number. */
  action?: string;
  context?: string;
}

export type Unsubscribe = () => void;

/** What a change decides about a session: the session to store (null leaves it as it is), and what its caller learns. */
export interface SessionChange<R> {
  next: Session | null;
  result: R;
}

/** A change as applied: the session as stored afterwards, and the result of the run of the change that was applied. */
export interface SessionUpdate<R> {
  session: Session;
  result: R;
}

/**
 * Everything the server keeps. Each write carries its TTL so nothing outlives its use; every
 * read-modify-write is a single call so an implementation shared by several instances can make it atomic.
 * Implementations throw `StoreUnavailableError` when their backend cannot be reached.
 */
export interface Store {
  createSession(session: Session, ttlMs: number): Promise<void>;
  getSession(id: string): Promise<Session | null>;
  /**
   * Atomically applies `change` to the stored session. `change` may run more than once under contention, so
   * it must be pure. Resolves to the session as stored afterwards with the result of the run that was
   * applied, or null when there is no session.
   */
  updateSession<R>(id: string, change: (session: Session) => SessionChange<R>): Promise<SessionUpdate<R> | null>;

  /** Stores a token record under the token's hash. */
  putToken(tokenHash: string, record: TokenRecord, ttlMs: number): Promise<void>;
  /**
   * Returns the record and, when it was issued to one of `siteKeys` (to any site when absent), deletes it in the
   * same step: a token is redeemed at most once, and only by its own site. A record of another site is
   * returned but left in place, so a wrong site's secret cannot burn it.
   */
  takeToken(tokenHash: string, siteKeys?: readonly string[]): Promise<TokenRecord | null>;

  /**
   * Adds `by` to a counter in a fixed window that starts at the first increment and lasts `windowMs`.
   * Returns the count after adding and when the window ends.
   */
  increment(key: string, windowMs: number, by?: number): Promise<{ count: number; resetAt: number }>;
  /** Stores `value` only if `key` is free; returns the value now stored. */
  putIfAbsent(key: string, value: string, ttlMs: number): Promise<string>;
  /** Reads a value written by `putIfAbsent`. */
  getValue(key: string): Promise<string | null>;

  /** Tells every subscriber of this session, on any instance, that it changed. */
  publish(sessionId: string): Promise<void>;
  subscribe(sessionId: string, listener: () => void): Unsubscribe;

  /** Resolves when the backend answers; throws `StoreUnavailableError` when it does not. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
}
