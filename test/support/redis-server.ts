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

export const REDIS_SERVER_BIN = process.env.REDIS_SERVER_BIN ?? 'redis-server';
const BINARY = REDIS_SERVER_BIN;

/** Whether `redis-server` can be run here. */
export const redisServerAvailable: boolean = spawnSync(BINARY, ['--version']).status === 0;

/**
 * Why Redis tests are skipped, or false to run them. A developer machine without Redis skips them; CI must
 * not, so there a missing binary fails instead of passing quietly.
 */
export const skipWithoutRedis: string | false = redisServerAvailable || process.env.CI ? false : `${BINARY} is not installed`;

/** Every redis-server this process started and has not stopped: none outlives the test run. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Keeps `child` in the set killed when the process exits, until `terminate` stops it. */
export function track(child: ChildProcess): ChildProcess {
  running.add(child);
  return child;
}

export async function startRedis(): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'fcv-redis-'));
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    try {
      let child = await launch(port, dir);
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
          child = await launch(port, dir);
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

async function launch(port: number, dir: string): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no'];
  const child = spawn(BINARY, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  track(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<never>((_, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}) on port ${port}:\n${output}`)));
  });
  exited.catch(() => {});
  if (await Promise.race([waitForPing(port, 5000), exited])) {
    child.stdout?.removeAllListeners('data');
    child.stderr?.removeAllListeners('data');
    child.stdout?.resume();
    child.stderr?.resume();
    return child;
  }
  await terminate(child);
  throw new Error(`redis-server did not answer on port ${port}:\n${output}`);
}

/** Stops a server started here: politely, then firmly after 3 s. */
export async function terminate(child: ChildProcess): Promise<void> {
  running.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

/** Whether a server answers PING on `port` within the time. */
export async function waitForPing(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await pingOnce(port)) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
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

export function freePort(): Promise<number> {
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
