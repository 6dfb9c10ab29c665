import { Cluster, Redis, ReplyError } from 'ioredis';
import type { ClusterNode, RedisOptions } from 'ioredis';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import type { Session } from '../verification/session.js';
import type { LuaScript } from './redis-scripts.js';
import { COMPARE_AND_SET, INCREMENT, PUT_IF_ABSENT, TAKE } from './redis-scripts.js';
import type { SessionChange, SessionUpdate, Store, TokenRecord, Unsubscribe } from './store.js';
import { StoreUnavailableError } from './store.js';

export interface RedisStoreOptions {
  /**
   * `redis://[user:password@]host:port[/db]`, or `rediss://` for TLS. With `cluster`, one or more seed nodes
   * separated by commas.
   */
  url: string;
  /** Talk to a Redis Cluster: commands are routed to each key's node. */
  cluster?: boolean;
  /** Prepended to every key and to the pub/sub channel, so several deployments can share one Redis. */
  keyPrefix?: string;
  /**
   * How long a command, or a request waiting for a connection in progress, may take before it fails with
   * `StoreUnavailableError`. Bounds how long a request hangs when Redis is unreachable.
   */
  commandTimeoutMs?: number;
  /** Longest pause between reconnection attempts; also the longest delay before recovering once Redis is back. */
  maxReconnectDelayMs?: number;
  clock?: Clock;
  /** Where connection loss and recovery are reported, once per transition. */
  log?: (message: string) => void;
}

export const DEFAULT_KEY_PREFIX = 'fcv:';

/** Redis replies that mean "not now" rather than "wrong": answered as 503 like a lost connection. */
const TRANSIENT_REPLY = /^(LOADING|BUSY|MASTERDOWN|READONLY|CLUSTERDOWN|TRYAGAIN|OOM|NOREPLICAS|MISCONF)\b/;

/** Rounds of compare-and-set before a hot session is reported as unavailable; only reached under absurd contention. */
const MAX_UPDATE_ROUNDS = 200;

/**
 * State shared by every server instance pointed at the same Redis.
 *
 * Keys carry a hash tag (`fcv:{id}:session`) and every command or script touches one key, so the layout is
 * valid on Redis Cluster. Atomic steps are Lua scripts or compare-and-set rather than WATCH/MULTI, because
 * WATCH belongs to a connection and this store shares one connection between concurrent requests.
 *
 * Commands are never queued while disconnected: a request fails fast with `StoreUnavailableError`, and the
 * connection keeps retrying in the background so the server recovers by itself when Redis returns.
 */
export class RedisStore implements Store {
  readonly #client: Redis;
  readonly #subscriber: Redis;
  readonly #prefix: string;
  readonly #channel: string;
  readonly #timeoutMs: number;
  readonly #clock: Clock;
  readonly #log: (message: string) => void;
  readonly #listeners = new Map<string, Set<() => void>>();
  #closed = false;
  #lastError: Error | undefined;
  #subscribed = false;
  #subscribedOnce = false;
  readonly #subscriptionWaiters = new Set<() => void>();

  constructor(options: RedisStoreOptions) {
    const prefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
    // A brace in the prefix would become the hash tag and put every key in one cluster slot.
    if (/[{}]/.test(prefix)) throw new RangeError('keyPrefix must not contain "{" or "}"');
    this.#prefix = prefix;
    this.#channel = `${prefix}events`;
    this.#timeoutMs = options.commandTimeoutMs ?? 1000;
    this.#clock = options.clock ?? systemClock;
    this.#log = options.log ?? ((message) => console.warn(message));
    const maxDelay = options.maxReconnectDelayMs ?? 1000;

    const common = {
      // Never give up reconnecting: an outage of any length ends by itself.
      retryStrategy: (times: number) => Math.min(50 * 2 ** Math.min(times, 10), maxDelay),
      connectTimeout: Math.max(2000, this.#timeoutMs * 2),
      // Fail at once instead of queueing while disconnected, so a request answers 503 rather than hanging.
      enableOfflineQueue: false,
      // Reject in-flight commands as soon as the connection drops...
      maxRetriesPerRequest: 0,
      // ...and never replay them later: a timed-out write must not land after its caller was told it failed.
      autoResendUnfulfilledCommands: false,
      protocol: 2 as const,
    };
    const connect = (extra: RedisOptions) =>
      options.cluster ? clusterClient(options.url, { ...common, ...extra }) : new Redis(options.url, { ...common, ...extra });
    this.#client = connect({ commandTimeout: this.#timeoutMs, connectionName: 'fcv' });
    // Subscribing is redone explicitly on every connect, see #onSubscriberReady.
    this.#subscriber = connect({ autoResubscribe: false, connectionName: 'fcv-events' });

    this.#watch(this.#client, 'Redis');
    this.#watch(this.#subscriber, 'Redis pub/sub');
    this.#subscriber.on('message', (channel: string, sessionId: string) => {
      if (channel === this.#channel) this.#notify(sessionId);
    });
    this.#subscriber.on('ready', () => void this.#onSubscriberReady());
    this.#subscriber.on('close', () => {
      this.#subscribed = false;
    });
  }

  /** The key prefix in use. */
  get keyPrefix(): string {
    return this.#prefix;
  }

  /** Full Redis key of a session, for operational tooling and tests. */
  sessionKey(id: string): string {
    return this.#key(id, 'session');
  }

  async createSession(session: Session, ttlMs: number): Promise<void> {
    await this.#run((redis) => redis.set(this.#key(session.id, 'session'), JSON.stringify(session), 'PX', ms(ttlMs)));
  }

  async getSession(id: string): Promise<Session | null> {
    const raw = await this.#run((redis) => redis.get(this.#key(id, 'session')));
    return raw === null ? null : (JSON.parse(raw) as Session);
  }

  async updateSession<R>(id: string, change: (session: Session) => SessionChange<R>): Promise<SessionUpdate<R> | null> {
    const key = this.#key(id, 'session');
    for (let round = 0; round < MAX_UPDATE_ROUNDS; round++) {
      const raw = await this.#run((redis) => redis.get(key));
      if (raw === null) return null;
      const { next, result } = change(JSON.parse(raw) as Session);
      if (next === null) return { session: JSON.parse(raw) as Session, result };
      const nextRaw = JSON.stringify(next);
      if (nextRaw === raw) return { session: JSON.parse(raw) as Session, result };
      const written = await this.#eval<number>(COMPARE_AND_SET, key, raw, nextRaw);
      if (written === 1) return { session: JSON.parse(nextRaw) as Session, result };
      if (written === -1) return null;
      // Another instance wrote in between: re-read and apply the change to what it wrote.
      if (round >= 3) await delay(Math.random() * Math.min(2 ** round, 50));
    }
    throw new StoreUnavailableError(`Session ${id} is being updated too often to apply a change.`);
  }

  async putToken(tokenHash: string, record: TokenRecord, ttlMs: number): Promise<void> {
    await this.#run((redis) => redis.set(this.#key(tokenHash, 'token'), JSON.stringify(record), 'PX', ms(ttlMs)));
  }

  async takeToken(tokenHash: string, siteKeys: readonly string[] = []): Promise<TokenRecord | null> {
    const raw = await this.#eval<string | null>(TAKE, this.#key(tokenHash, 'token'), ...siteKeys);
    return raw === null ? null : (JSON.parse(raw) as TokenRecord);
  }

  async increment(key: string, windowMs: number, by = 1): Promise<{ count: number; resetAt: number }> {
    if (!Number.isSafeInteger(by)) throw new RangeError(`increment by a whole number, not ${by}`);
    const [count, remainingMs] = await this.#eval<[number, number]>(INCREMENT, this.#key(key, 'count'), String(ms(windowMs)), String(by));
    return { count, resetAt: this.#clock.now() + remainingMs };
  }

  async putIfAbsent(key: string, value: string, ttlMs: number): Promise<string> {
    return this.#eval<string>(PUT_IF_ABSENT, this.#key(key, 'value'), value, String(ms(ttlMs)));
  }

  async getValue(key: string): Promise<string | null> {
    return this.#run((redis) => redis.get(this.#key(key, 'value')));
  }

  async publish(sessionId: string): Promise<void> {
    // Own listeners hear it through Redis too, so delivery is the same for every instance.
    await this.#run((redis) => redis.publish(this.#channel, sessionId));
  }

  subscribe(sessionId: string, listener: () => void): Unsubscribe {
    let listeners = this.#listeners.get(sessionId);
    if (!listeners) {
      listeners = new Set();
      this.#listeners.set(sessionId, listeners);
    }
    // A wrapper per call, so subscribing the same function twice needs two unsubscribes, as with an EventEmitter.
    const entry = () => listener();
    listeners.add(entry);
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      const current = this.#listeners.get(sessionId);
      if (!current) return;
      current.delete(entry);
      if (current.size === 0) this.#listeners.delete(sessionId);
    };
  }

  /**
   * Resolves when Redis answers and change notifications are flowing; without the second, progress from
   * another instance would silently stop reaching this one's streams.
   */
  async ping(): Promise<void> {
    await this.#run((redis) => redis.ping());
    if (!this.#subscribed) await this.#waitForSubscription();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#listeners.clear();
    await Promise.all([quit(this.#client), quit(this.#subscriber)]);
  }

  #key(id: string, kind: string): string {
    return `${this.#prefix}{${id}}:${kind}`;
  }

  async #run<T>(command: (redis: Redis) => Promise<T>): Promise<T> {
    await this.#connected();
    try {
      return await command(this.#client);
    } catch (error) {
      throw this.#translate(error);
    }
  }

  async #eval<T>(script: LuaScript, key: string, ...args: string[]): Promise<T> {
    return this.#run(async (redis) => {
      try {
        return (await redis.evalsha(script.sha1, 1, key, ...args)) as T;
      } catch (error) {
        // The script cache is empty after a Redis restart or failover; EVAL loads it again.
        if (error instanceof ReplyError && String((error as Error).message).startsWith('NOSCRIPT')) {
          return (await redis.eval(script.source, 1, key, ...args)) as T;
        }
        throw error;
      }
    });
  }

  /** Waits for a connection being made, briefly; fails at once while Redis is known to be down. */
  async #connected(): Promise<void> {
    const client = this.#client;
    if (client.status === 'ready') return;
    if (this.#closed || client.status === 'end') throw new StoreUnavailableError('The Redis store is closed.');
    if (client.status === 'reconnecting' || client.status === 'close') throw this.#unavailable();
    await new Promise<void>((resolve, reject) => {
      const finish = (error?: Error) => {
        clearTimeout(timer);
        client.off('ready', onReady);
        client.off('close', onDown);
        client.off('end', onDown);
        if (error) reject(error);
        else resolve();
      };
      const onReady = () => finish();
      const onDown = () => finish(this.#unavailable());
      const timer = setTimeout(onDown, this.#timeoutMs);
      client.on('ready', onReady);
      client.on('close', onDown);
      client.on('end', onDown);
    });
  }

  #waitForSubscription(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.#subscriptionWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#subscriptionWaiters.delete(done);
        reject(new StoreUnavailableError('The Redis pub/sub connection is not subscribed.'));
      }, this.#timeoutMs);
      this.#subscriptionWaiters.add(done);
    });
  }

  async #onSubscriberReady(): Promise<void> {
    try {
      await this.#subscriber.subscribe(this.#channel);
    } catch {
      // The connection dropped again; the next 'ready' tries again.
      return;
    }
    this.#subscribed = true;
    for (const waiter of [...this.#subscriptionWaiters]) waiter();
    // Changes published while this connection was down were lost: every stream re-reads its session.
    if (this.#subscribedOnce) for (const sessionId of [...this.#listeners.keys()]) this.#notify(sessionId);
    this.#subscribedOnce = true;
  }

  #notify(sessionId: string): void {
    const listeners = this.#listeners.get(sessionId);
    if (!listeners) return;
    for (const listener of [...listeners]) {
      try {
        listener();
      } catch (error) {
        this.#log(`Redis store: a change listener threw: ${(error as Error)?.message ?? error}`);
      }
    }
  }

  /** Reports each connection's loss and recovery once, and keeps ioredis from reporting 'error' as unhandled. */
  #watch(client: Redis, name: string): void {
    let down = false;
    let lastError: Error | undefined;
    const markDown = () => {
      if (down || this.#closed) return;
      down = true;
      const reason = lastError ? describe(lastError) : 'connection closed';
      this.#log(`Redis store: cannot reach ${name} (${reason}); retrying in the background.`);
    };
    const onError = (error: Error) => {
      lastError = error;
      if (client === this.#client) this.#lastError = error;
      markDown();
    };
    client.on('error', onError);
    // A cluster client reports its nodes' failures separately, and may lose them all without an 'error'.
    client.on('node error', onError);
    client.on('close', markDown);
    client.on('ready', () => {
      lastError = undefined;
      if (!down) return;
      down = false;
      this.#log(`Redis store: ${name} is reachable again.`);
    });
  }

  #unavailable(): StoreUnavailableError {
    const reason = this.#lastError ? `: ${describe(this.#lastError)}` : '';
    return new StoreUnavailableError(`Redis is unreachable${reason}`, { cause: this.#lastError });
  }

  #translate(error: unknown): unknown {
    if (error instanceof StoreUnavailableError) return error;
    if (error instanceof ReplyError) {
      const message = String((error as Error).message);
      if (!TRANSIENT_REPLY.test(message)) return error;
      return new StoreUnavailableError(`Redis cannot serve requests: ${message}`, { cause: error });
    }
    // Anything else from the client is the connection: refused, reset, closed, timed out.
    return new StoreUnavailableError(`Redis is unreachable: ${describe(error)}`, { cause: error });
  }
}

/** Redis rejects a zero or fractional expiry; a TTL is at least one millisecond. */
function ms(value: number): number {
  return Math.max(1, Math.ceil(value));
}

function delay(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

function describe(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return describe(error.errors[0]);
  if (error instanceof Error) return (error as NodeJS.ErrnoException).code ?? error.message;
  return String(error);
}

/**
 * A cluster client behind the standalone client's type: the store uses only commands both share, each on a
 * single key, so routing by key is all the cluster client has to add.
 */
function clusterClient(urls: string, options: RedisOptions): Redis {
  const seeds = urls.split(',').map((raw) => new URL(raw.trim()));
  const first = seeds[0]!;
  const nodes: ClusterNode[] = seeds.map((url) => ({ host: url.hostname, port: Number(url.port || 6379) }));
  const { retryStrategy, enableOfflineQueue, ...nodeOptions } = options;
  const cluster = new Cluster(nodes, {
    clusterRetryStrategy: retryStrategy ?? undefined,
    enableOfflineQueue,
    redisOptions: {
      ...nodeOptions,
      ...(first.username ? { username: decodeURIComponent(first.username) } : {}),
      ...(first.password ? { password: decodeURIComponent(first.password) } : {}),
      ...(first.protocol === 'rediss:' ? { tls: {} } : {}),
    },
  });
  return cluster as unknown as Redis;
}

async function quit(client: Redis): Promise<void> {
  if (client.status === 'ready') {
    try {
      await client.quit();
      return;
    } catch {
      // Fall through: drop the socket instead.
    }
  }
  client.disconnect();
}
