import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, redisServerAvailable, REDIS_SERVER_BIN, terminate, track, waitForPing } from './redis-server.js';

/**
 * A throwaway Redis Cluster of three masters without replicas on free local ports, as `redis-cli --cluster
 * create` builds one. A short node timeout makes the loss of a master, and its return, take effect in about
 * a second rather than fifteen.
 */
export interface RedisCluster {
  /** `host:port,host:port,host:port`, as REDIS_CLUSTER_NODES takes it. */
  nodes: string;
  ports: number[];
  /** Stops the master that owns `key` (the first master without one) and waits until the cluster reports itself down. */
  stop(key?: string): Promise<void>;
  /** Starts the stopped master again, empty but with its slots, and waits until the cluster is healthy. */
  restart(): Promise<void>;
  /** Deletes every key on every master. */
  flush(): Promise<void>;
  /** Stops every node; the cluster is gone. */
  close(): Promise<void>;
}

const CLI_BIN = process.env.REDIS_CLI_BIN ?? 'redis-cli';
const NODE_TIMEOUT_MS = 1000;

/** Whether a cluster can be built here: both binaries run. */
export const redisClusterAvailable: boolean = redisServerAvailable && spawnSync(CLI_BIN, ['--version']).status === 0;

/** Why cluster tests are skipped, or false to run them; under CI a missing binary fails instead. */
export const skipWithoutRedisCluster: string | false =
  redisClusterAvailable || process.env.CI ? false : `${REDIS_SERVER_BIN} or ${CLI_BIN} is not installed`;

export async function startRedisCluster(): Promise<RedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'fcv-cluster-'));
  const ports: number[] = [];
  const children = new Map<number, ChildProcess>();
  let stopped: number | undefined;
  const close = async () => {
    await Promise.all([...children.values()].map(terminate));
    children.clear();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      ports.push(port);
      children.set(port, await launch(port, dir));
    }
    await create(ports);
    await waitForState(ports, 'ok');
  } catch (error) {
    await close();
    throw error;
  }
  const client = (port: number) => new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0 });
  const onEach = async <T>(ports: number[], action: (redis: Redis) => Promise<T>): Promise<T[]> =>
    Promise.all(
      ports.map(async (port) => {
        const redis = client(port);
        try {
          return await action(redis);
        } finally {
          redis.disconnect();
        }
      }),
    );

  return {
    nodes: ports.map((port) => `127.0.0.1:${port}`).join(','),
    ports,
    async stop(key) {
      let port = ports[0]!;
      if (key !== undefined) {
        const [owner] = await onEach([ports[0]!], async (redis) => {
          const slot = Number(await redis.cluster('KEYSLOT', key));
          const ranges = await redis.cluster('SLOTS');
          return ranges.find(([from, to]) => slot >= from && slot <= to)![2]![1];
        });
        port = owner!;
      }
      await terminate(children.get(port)!);
      children.delete(port);
      stopped = port;
      await waitForState(
        ports.filter((p) => p !== port),
        'fail',
      );
    },
    async restart() {
      if (stopped === undefined) throw new Error('no master is stopped');
      children.set(stopped, await launch(stopped, dir));
      stopped = undefined;
      await waitForState(ports, 'ok');
    },
    async flush() {
      await onEach(
        ports.filter((port) => port !== stopped),
        (redis) => redis.flushall(),
      );
    },
    close,
  };
}

async function launch(port: number, dir: string): Promise<ChildProcess> {
  const args = [
    ...['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no'],
    ...['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`, '--cluster-node-timeout', String(NODE_TIMEOUT_MS)],
  ];
  const child = spawn(REDIS_SERVER_BIN, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  track(child);
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<never>((_, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}) on port ${port}:\n${output}`)));
  });
  exited.catch(() => {});
  if (!(await Promise.race([waitForPing(port, 5000), exited]))) {
    await terminate(child);
    throw new Error(`redis-server did not answer on port ${port}:\n${output}`);
  }
  return child;
}

function create(ports: number[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const nodes = ports.map((port) => `127.0.0.1:${port}`);
    const cli = spawn(CLI_BIN, ['--cluster', 'create', ...nodes, '--cluster-replicas', '0', '--cluster-yes'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    cli.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    cli.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    cli.once('error', reject);
    cli.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`redis-cli --cluster create failed (${code}):\n${output}`))));
  });
}

/** Waits until every given node reports `cluster_state:<state>` and, when ok, knows all three masters. */
async function waitForState(ports: number[], state: 'ok' | 'fail', timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const infos = await Promise.all(
      ports.map(async (port) => {
        const redis = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
        try {
          return await redis.cluster('INFO');
        } catch {
          return '';
        } finally {
          redis.disconnect();
        }
      }),
    );
    const reached = infos.every(
      (info) => info.includes(`cluster_state:${state}`) && (state === 'fail' || info.includes('cluster_known_nodes:3')),
    );
    if (reached) return;
    if (Date.now() > deadline) throw new Error(`the cluster did not reach state ${state}:\n${infos.join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
