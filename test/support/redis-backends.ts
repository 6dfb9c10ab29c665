import { Cluster, Redis } from 'ioredis';
import type { RedisStoreOptions } from '../../server/store/redis.js';
import { skipWithoutRedisCluster, startRedisCluster } from './redis-cluster.js';
import { skipWithoutRedis, startRedis } from './redis-server.js';

/** A Redis the tests start themselves, one server or a cluster, seen the same way by every Redis suite. */
export interface RedisDeployment {
  /** The server environment that selects it. */
  env: { REDIS_URL: string } | { REDIS_CLUSTER_NODES: string };
  /** What a RedisStore is given to reach it. */
  connection: Pick<RedisStoreOptions, 'url' | 'clusterNodes'>;
  /** A client for looking at what the store wrote (single-key commands work on both). */
  raw: Redis;
  /** Every key matching `pattern`, on every node. */
  keys(pattern: string): Promise<string[]>;
  flush(): Promise<void>;
  /** Makes every node stop answering for a while (CLIENT PAUSE), its connections left open. */
  pause(ms: number): Promise<void>;
  /** Takes Redis away: the server, or the cluster master owning `key` (which brings the whole cluster down). */
  stop(key?: string): Promise<void>;
  /** Brings it back, empty, as after a crash without persistence. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface RedisBackend {
  name: string;
  skip: string | false;
  start(): Promise<RedisDeployment>;
}

export const oneRedis: RedisBackend = {
  name: 'one Redis',
  skip: skipWithoutRedis,
  async start() {
    const server = await startRedis();
    const raw = new Redis(server.url, { lazyConnect: true });
    return {
      env: { REDIS_URL: server.url },
      connection: { url: server.url },
      raw,
      keys: (pattern) => raw.keys(pattern),
      flush: async () => void (await raw.flushall()),
      pause: async (ms) => void (await raw.client('PAUSE', ms, 'ALL')),
      stop: () => server.stop(),
      restart: () => server.restart(),
      async close() {
        raw.disconnect();
        await server.stop();
      },
    };
  },
};

export const redisCluster: RedisBackend = {
  name: 'Redis Cluster of three masters',
  skip: skipWithoutRedisCluster,
  async start() {
    const cluster = await startRedisCluster();
    const nodes = cluster.nodes.split(',');
    const client = new Cluster(nodes.map((node) => ({ host: node.split(':')[0]!, port: Number(node.split(':')[1]) })));
    return {
      env: { REDIS_CLUSTER_NODES: cluster.nodes },
      connection: { clusterNodes: nodes },
      raw: client as unknown as Redis,
      async keys(pattern) {
        const perNode = await Promise.all(client.nodes('master').map((node) => node.keys(pattern)));
        return perNode.flat();
      },
      flush: () => cluster.flush(),
      async pause(ms) {
        await Promise.all(client.nodes('master').map((node) => node.client('PAUSE', ms, 'ALL')));
      },
      stop: (key) => cluster.stop(key),
      restart: () => cluster.restart(),
      async close() {
        client.disconnect();
        await cluster.close();
      },
    };
  },
};

export const redisBackends: readonly RedisBackend[] = [oneRedis, redisCluster];
