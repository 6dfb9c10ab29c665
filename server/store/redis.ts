import { Cluster, Redis, ReplyError } from 'ioredis';
import type { RedisOptions } from 'ioredis';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import type { Session } from '../verification/session.js';
import type { LuaScript } from './redis-scripts.js';
import { COMPARE_AND_SET, INCREMENT, PUT_IF_ABSENT, TAKE } from './redis-scripts.js';
import type { SessionChange, SessionUpdate, Store, TokenRecord, Unsubscribe } from './store.js';
import { StoreUnavailableError } from './store.js';

export interface RedisStoreOptions {
  /** One Redis: `redis://[user:password@]host:port[/db]`, or `rediss://` for TLS. */
  url?: string;
  /**
   * A Redis Cluster instead: some of its nodes as `host:port` (or `redis[s]://[user:password@]host:port`, whose
   * credentials and TLS apply to every node). The client learns the rest and follows MOVED and ASK itself.
   */
  clusterNodes?: readonly string[];
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

/** Reconnection attempts to a cluster node before the change channel is looked for elsewhere. */
const SUBSCRIBER_ATTEMPTS_PER_NODE = 3;

/**
 * State shared by every server instance pointed at the same Redis or Redis Cluster.
 *
 * Keys carry a hash tag (`fcv:{id}:session`) and every command or script touches one key, so on a cluster
 * everything about one session lives in one slot and each script runs on that slot's master. Atomic steps are
 * Lua scripts or compare-and-set rather than WATCH/MULTI, because WATCH belongs to a connection and this store
 * shares one connection between concurrent requests.
 *
 * Changes are announced on one channel. On a cluster whose servers have sharded pub/sub (Redis 7+) it is a
 * shard channel (SPUBLISH/SSUBSCRIBE): its messages go to the one master owning the channel's slot instead of
 * being broadcast over the cluster bus to every node; older clusters use plain pub/sub.
 *
 * Commands are never queued while disconnected: a request fails fast with `StoreUnavailableError`, and the
 * connections keep retrying in the background so the server recovers by itself when Redis returns.
 */
export class RedisStore implements Store {
  readonly #client: Redis;
  readonly #cluster: Cluster | undefined;
  #subscriber: Redis;
  readonly #connectSubscriber: (node?: Endpoint) => Redis;
  /** Whether changes travel on a shard channel; learnt from the server on first use. */
  #sharded: Promise<boolean> | undefined;
  readonly #answered: () => void;
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
    // Subscribing is redone explicitly on every connect, see #onSubscriberReady.
    const subscriberOptions: RedisOptions = { ...common, autoResubscribe: false, connectionName: 'fcv-events' };
    if (options.clusterNodes) {
      if (options.url) throw new RangeError('give url or clusterNodes, not both');
      const seeds = options.clusterNodes.map(clusterNode);
      if (seeds.length === 0) throw new RangeError('clusterNodes is empty');
      const nodeOptions = { ...common, ...seeds[0]!.options };
      this.#cluster = clusterClient(seeds, { ...nodeOptions, commandTimeout: this.#timeoutMs, connectionName: 'fcv' });
      this.#client = this.#cluster as unknown as Redis;
      // The change channel lives on one master: a plain connection follows it there (see #onSubscriberReady).
      this.#connectSubscriber = (node = seeds[0]!.node) =>
        new Redis({ ...nodeOptions, ...subscriberOptions, host: node.host, port: Number(node.port) });
    } else {
      const url = options.url;
      if (!url) throw new RangeError('give url or clusterNodes');
      this.#cluster = undefined;
      this.#client = new Redis(url, { ...common, commandTimeout: this.#timeoutMs, connectionName: 'fcv' });
      this.#connectSubscriber = () => new Redis(url, subscriberOptions);
    }
    this.#answered = this.#watch(this.#client, 'Redis');
    this.#subscriber = this.#openSubscriber();
  }

  /** A connection for the change channel, subscribing on every connect. */
  #openSubscriber(node?: Endpoint): Redis {
    const subscriber = this.#connectSubscriber(node);
    this.#watch(subscriber, 'Redis pub/sub');
    const onMessage = (channel: string, sessionId: string) => {
      if (channel === this.#channel) this.#notify(sessionId);
    };
    subscriber.on('message', onMessage);
    subscriber.on('smessage', onMessage);
    subscriber.on('ready', () => void this.#onSubscriberReady(subscriber));
    subscriber.on('close', () => {
      if (subscriber === this.#subscriber) this.#subscribed = false;
    });
    let attempts = 0;
    subscriber.on('ready', () => (attempts = 0));
    subscriber.on('reconnecting', () => {
      // A master that does not come back may have been replaced elsewhere: ask another node where the channel is.
      if (!this.#cluster || ++attempts < SUBSCRIBER_ATTEMPTS_PER_NODE || subscriber !== this.#subscriber) return;
      const current = `${subscriber.options.host}:${subscriber.options.port}`;
      const other = this.#cluster.nodes('master').find((redis) => `${redis.options.host}:${redis.options.port}` !== current);
      if (other) this.#moveSubscriber({ host: other.options.host!, port: other.options.port! });
    });
    return subscriber;
  }

  #moveSubscriber(node: Endpoint): void {
    const old = this.#subscriber;
    this.#subscribed = false;
    old.removeAllListeners();
    old.on('error', () => {});
    old.disconnect();
    if (!this.#closed) this.#subscriber = this.#openSubscriber(node);
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
    const sharded = await this.#run((redis) => this.#shardedPubSub(redis));
    await this.#run((redis) => (sharded ? redis.spublish(this.#channel, sessionId) : redis.publish(this.#channel, sessionId)));
  }

  /** Sharded pub/sub on a cluster whose servers know SSUBSCRIBE (Redis 7+); every instance finds the same answer. */
  #shardedPubSub(redis: Redis): Promise<boolean> {
    if (!this.#cluster) return Promise.resolve(false);
    this.#sharded ??= (redis.call('COMMAND', 'INFO', 'SSUBSCRIBE') as Promise<unknown[]>).then(
      (info) => Array.isArray(info) && info[0] !== null,
    );
    // A failed look-up is asked again next time.
    this.#sharded.catch(() => (this.#sharded = undefined));
    return this.#sharded;
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
    // On a cluster, the master of every slot: a request may need any of them. The client drops a lost node
    // from its connections, so a master still named in the slot map but not connected is down too.
    if (this.#cluster) {
      const info = await this.#run((redis) => redis.cluster('INFO'));
      if (!/^cluster_state:ok\b/m.test(info)) throw new StoreUnavailableError('The Redis Cluster reports itself down.');
      const nodes = new Map(this.#cluster.nodes('all').map((node) => [`${node.options.host}:${node.options.port}`, node]));
      const owners = new Set(this.#cluster.slots.map((owners) => owners[0]).filter((owner) => owner !== undefined));
      if (owners.size === 0) throw this.#unavailable();
      await Promise.all(
        [...owners].map(async (owner) => {
          const node = nodes.get(owner);
          if (!node) {
            // Connect again to a master that returned, even when no request has needed it yet.
            this.#cluster!.refreshSlotsCache();
            throw new StoreUnavailableError(`Redis Cluster node ${owner} is unreachable.`);
          }
          await this.#connected(node);
          await node.ping().catch((error: unknown) => {
            throw this.#translate(error);
          });
        }),
      );
    }
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
      const result = await command(this.#client);
      this.#answered();
      return result;
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
  async #connected(client: Redis = this.#client): Promise<void> {
    if (client.status === 'ready') return;
    if (this.#closed || (client === this.#client && client.status === 'end')) throw new StoreUnavailableError('The Redis store is closed.');
    if (client.status === 'reconnecting' || client.status === 'close' || client.status === 'end') throw this.#unavailable();
    // A cluster connects to a node on its first use.
    if (client.status === 'wait') client.connect().catch(() => {});
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

  async #onSubscriberReady(subscriber: Redis): Promise<void> {
    try {
      if (await this.#shardedPubSub(subscriber)) await subscriber.ssubscribe(this.#channel);
      else await subscriber.subscribe(this.#channel);
    } catch (error) {
      if (subscriber !== this.#subscriber || subscriber.status !== 'ready') return; // The next 'ready' tries again.
      // The shard channel lives on another master: go there.
      const moved = /^MOVED \d+ (.+):(\d+)$/.exec(String((error as Error)?.message));
      if (moved) this.#moveSubscriber({ host: moved[1]!, port: Number(moved[2]) });
      // The cluster is down or still forming: try again shortly.
      else setTimeout(() => void this.#onSubscriberReady(subscriber), 200).unref();
      return;
    }
    if (subscriber !== this.#subscriber) return;
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

  /**
   * Reports each connection's loss and recovery once, and keeps ioredis from reporting 'error' as unhandled.
   * Returns what marks it reachable again: a cluster client that lost one node stays 'ready' throughout, so
   * for it a command answered is the sign of recovery.
   */
  #watch(client: Redis, name: string): () => void {
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
    const markUp = () => {
      lastError = undefined;
      if (!down) return;
      down = false;
      this.#log(`Redis store: ${name} is reachable again.`);
    };
    client.on('ready', markUp);
    return markUp;
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

interface Endpoint {
  host: string;
  port: number;
}

interface Seed {
  node: Endpoint;
  /** Credentials and TLS given with the node. */
  options: RedisOptions;
}

/** `host:port` or `redis[s]://[user:password@]host:port`. */
function clusterNode(raw: string): Seed {
  const value = raw.trim();
  const url = new URL(value.includes('://') ? value : `redis://${value}`);
  return {
    node: { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(url.port || 6379) },
    options: {
      ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
      ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
      ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
    },
  };
}

/**
 * The cluster client. The store uses only commands on a single key, so routing each by its key's slot, and
 * following MOVED and ASK while slots move, is all it adds. It passes a down cluster's errors straight back
 * rather than retrying: the request answers 503 at once, and a write it gave up on never lands later.
 */
function clusterClient(seeds: Seed[], options: RedisOptions): Cluster {
  const { retryStrategy, enableOfflineQueue, ...nodeOptions } = options;
  return new Cluster(
    seeds.map((seed) => seed.node),
    {
      clusterRetryStrategy: retryStrategy ?? undefined,
      enableOfflineQueue,
      retryDelayOnClusterDown: 0,
      retryDelayOnFailover: 0,
      redisOptions: nodeOptions,
    },
  );
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
