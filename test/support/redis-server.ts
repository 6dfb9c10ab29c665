import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throwaway `redis-server` on a free local port, without persistence. */
export interface RedisServer {
  url: string;
  port: number;
  /** Stops the server; its data is gone. */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty, as after a crash without persistence. */
  restart(): Promise<void>;
}

const BINARY = process.env.REDIS_SERVER_BIN ?? 'redis-server';

/** Whether `redis-server` can be run here. */
export const redisServerAvailable: boolean = spawnSync(BINARY, ['--version']).status === 0;

/**
 * Why Redis tests are skipped, or false to run them. A developer machine without Redis skips them; CI must
 * not, so there a missing binary fails instead of passing quietly.
 */
export const skipWithoutRedis: string | false = redisServerAvailable || process.env.CI ? false : `${BINARY} is not installed`;

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface StartRedisOptions {
  /** A one-node Redis Cluster holding every slot: cross-slot commands fail as on a real cluster. */
  cluster?: boolean;
}

export async function startRedis(options: StartRedisOptions = {}): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'fcv-redis-'));
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    try {
      let child = await launch(port, dir, options);
      const server: RedisServer = {
        url: `redis://127.0.0.1:${port}`,
        port,
        stop: async () => {
          await terminate(child);
          rmSync(dir, { recursive: true, force: true });
        },
        restart: async () => {
          await terminate(child);
          mkdirSync(dir, { recursive: true });
          child = await launch(port, dir, options);
        },
      };
      return server;
    } catch (error) {
      // Another process took the port between probing and binding: try another.
      lastError = error;
    }
  }
  rmSync(dir, { recursive: true, force: true });
  throw lastError;
}

async function launch(port: number, dir: string, options: StartRedisOptions): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no'];
  if (options.cluster) {
    rmSync(join(dir, 'nodes.conf'), { force: true });
    args.push('--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-announce-ip', '127.0.0.1');
  }
  const child = spawn(BINARY, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<never>((_, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}) on port ${port}:\n${output}`)));
  });
  exited.catch(() => {});
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const answered = await Promise.race([pingOnce(port), exited]);
    if (answered && options.cluster) await Promise.race([formCluster(port), exited]);
    if (answered) {
      child.stdout?.removeAllListeners('data');
      child.stderr?.removeAllListeners('data');
      child.stdout?.resume();
      child.stderr?.resume();
      return child;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await terminate(child);
  throw new Error(`redis-server did not answer on port ${port}:\n${output}`);
}

async function terminate(child: ChildProcess): Promise<void> {
  running.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

/** Gives the lone node every slot and waits until the cluster says it is healthy. */
async function formCluster(port: number): Promise<void> {
  await command(port, 'CLUSTER ADDSLOTSRANGE 0 16383');
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    if ((await command(port, 'CLUSTER INFO')).includes('cluster_state:ok')) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the one-node cluster on port ${port} did not become healthy`);
}

/** One inline command and its raw reply; enough for setup without a client library. */
function command(port: number, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    let reply = '';
    socket.setTimeout(2000);
    socket.on('connect', () => socket.write(`${line}\r\n`));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      const bulk = /^\$(\d+)\r\n/.exec(reply);
      const complete = bulk ? reply.length >= bulk[0].length + Number(bulk[1]) + 2 : reply.includes('\r\n');
      if (!complete) return;
      socket.destroy();
      if (reply.startsWith('-')) reject(new Error(`${line}: ${reply.trim()}`));
      else resolve(reply);
    });
    socket.on('timeout', () => {
      socket.destroy();
      reject(new Error(`${line}: no answer`));
    });
    socket.on('error', reject);
  });
}

function pingOnce(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.setTimeout(500);
    let reply = '';
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) {
        socket.destroy();
        resolve(reply.startsWith('+PONG'));
      }
    });
    socket.on('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', () => resolve(false));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
