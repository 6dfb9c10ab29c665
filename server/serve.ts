import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { createDemoApp } from '../demo/app.js';
import { createFlashCallApp } from './app.js';
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import type { Config, Env } from './config.js';
import { ConfigError, loadConfig } from './config.js';
import type { Logger, LogLevel } from './log.js';
import { silentLogger } from './log.js';
import type { Random } from './random.js';
import { cryptoRandom } from './random.js';
import { metricsRoutes } from './metrics/index.js';
import { createRestcommProvider } from './restcomm/driver.js';
import { createRestcommEmulator, createSandboxRoutes } from './restcomm/emulator.js';
import type { RestcommEmulator } from './restcomm/emulator.js';
import { MemoryStore } from './store/memory.js';
import type { Store } from './store/store.js';
import type { TelephonyProvider } from './telephony/provider.js';
import type { VerificationService } from './verification/service.js';

export interface StartServerOptions {
  /** The environment to configure from; defaults to `process.env`. `PORT` 0 picks a free port. */
  env?: Env;
  clock?: Clock;
  random?: Random;
  log?: Logger;
  /** Overrides the store `REDIS_URL` would select. */
  store?: Store;
  /** Overrides the Restcomm driver (in either mode). */
  provider?: TelephonyProvider;
  /** Where the provider's callbacks go, when not this server itself (such as another instance). */
  publicUrl?: string;
  widgetFile?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  /** The address the listener is bound to, such as `127.0.0.1` (the sandbox's default) or `::` (all interfaces). */
  host: string;
  config: Config;
  app: Hono;
  service: VerificationService;
  store: Store;
  /** The in-process Restcomm, in sandbox mode. */
  emulator?: RestcommEmulator;
  /** The private metrics listener's `/metrics`, when metrics are on and it is. */
  metricsUrl?: string;
  /** Graceful: requests in flight get up to `graceMs` to finish before their connections are cut. */
  close(graceMs?: number): Promise<void>;
}

/** Starts the whole server: configuration, store, provider (the emulator in sandbox mode) and HTTP listener. */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const env = options.env ?? process.env;
  const config = loadConfig(env, options.random);
  const clock = options.clock ?? systemClock;
  const random = options.random ?? cryptoRandom;
  const log = options.log ?? silentLogger;
  for (const { variable, message } of config.warnings) log('warn', 'config.warning', { variable, message });

  // The listener starts first: in sandbox mode the driver calls the emulator over this very port.
  let handler: (request: Request, env: unknown) => Response | Promise<Response> = () =>
    new Response('Starting', { status: 503 });
  const server = serve({ fetch: (request, bindings) => handler(request, bindings), port: config.port, hostname: config.host });
  await new Promise<void>((resolve, reject) => {
    if (server.listening) return resolve();
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const port = address.port;
  if (!env.PUBLIC_URL?.trim()) config.publicUrl = `http://localhost:${port}`;
  if (options.publicUrl) config.publicUrl = options.publicUrl.replace(/\/+$/, '');
  config.port = port;

  const store = options.store ?? (await openStore(config, clock, log));
  let emulator: RestcommEmulator | undefined;
  let provider = options.provider;
  const mounts: Record<string, Hono> = {};
  if (config.mode === 'sandbox') {
    const accountSid = `AC${Buffer.from(random.bytes(16)).toString('hex')}`;
    const authToken = Buffer.from(random.bytes(16)).toString('hex');
    emulator = createRestcommEmulator({ accountSid, authToken, random, clock, log: ({ level, event, ...fields }) =>
        log(isLevel(level) ? level : 'debug', typeof event === 'string' ? event : 'sandbox.restcomm', fields),
    });
    mounts['/sandbox/restcomm'] = emulator.app;
    mounts['/sandbox'] = createSandboxRoutes(emulator);
    mounts['/'] = createDemoApp({ siteverifyUrl: `${loopbackUrl(address)}/v1/siteverify`, siteKey: 'pk_sandbox', secret: 'sk_sandbox', callerIds: config.callerIds });
    provider ??= createRestcommProvider({ baseUrl: `${loopbackUrl(address)}/sandbox/restcomm`, accountSid, authToken });
  } else {
    provider ??= createRestcommProvider(config.restcomm!);
  }

  const shutdown = new AbortController();
  const { app, service, metrics } = createFlashCallApp({
    shutdown: shutdown.signal,
    config,
    store,
    provider,
    clock,
    random,
    log,
    mounts,
    widgetFile: options.widgetFile,
  });
  handler = (request, bindings) => app.fetch(request, bindings);

  // Metrics get their own listener, on loopback unless told otherwise, so the pages' origin never serves them.
  let metricsServer: ReturnType<typeof serve> | undefined;
  let metricsUrl: string | undefined;
  if (metrics && config.metrics?.port != null) {
    const routes = metricsRoutes(metrics.registry);
    metricsServer = serve({ fetch: (request) => routes.fetch(request), port: config.metrics.port, hostname: config.metrics.host });
    try {
      await new Promise<void>((resolve, reject) => {
        if (metricsServer!.listening) return resolve();
        metricsServer!.once('listening', () => resolve());
        metricsServer!.once('error', reject);
      });
    } catch (error) {
      server.close();
      emulator?.close();
      if (!options.store) await store.close();
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw new ConfigError('FCV_METRICS_PORT', `port ${config.metrics.port} is already in use`);
      }
      throw error;
    }
    const bound = metricsServer.address() as AddressInfo;
    metricsUrl = `${loopbackUrl(bound)}/metrics`;
  }

  return {
    url: `http://localhost:${port}`,
    port,
    host: address.address,
    config,
    app,
    service,
    store,
    emulator,
    metricsUrl,
    async close(graceMs = 10_000) {
      // Stop taking connections, let requests in flight finish, and end event streams cleanly.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const metricsClosed = new Promise<void>((resolve) => (metricsServer ? metricsServer.close(() => resolve()) : resolve()));
      (metricsServer as unknown as { closeAllConnections?: () => void } | undefined)?.closeAllConnections?.();
      shutdown.abort();
      emulator?.close();
      const http = server as unknown as { closeIdleConnections?: () => void; closeAllConnections?: () => void };
      http.closeIdleConnections?.();
      const idle = setInterval(() => http.closeIdleConnections?.(), 50);
      const deadline = setTimeout(() => http.closeAllConnections?.(), graceMs);
      await Promise.all([closed, metricsClosed]);
      clearInterval(idle);
      clearTimeout(deadline);
      if (!options.store) await store.close();
    },
  };
}

async function openStore(config: Config, clock: Clock, log: Logger): Promise<Store> {
  if (!config.redisUrl) return new MemoryStore({ clock });
  const { RedisStore } = await import('./store/redis.js');
  return new RedisStore({
    url: config.redisUrl,
    keyPrefix: config.redisKeyPrefix,
    clock,
    log: (message) => log('warn', 'store.redis', { message }),
  });
}

/** This server as seen from itself, whatever address it was bound to. */
function loopbackUrl(address: AddressInfo): string {
  const host =
    address.address === '::' || address.address === '0.0.0.0' || address.address === ''
      ? '127.0.0.1'
      : address.family === 'IPv6'
        ? `[${address.address}]`
        : address.address;
  return `http://${host}:${address.port}`;
}

function isLevel(value: unknown): value is LogLevel {
  return value === 'debug' || value === 'info' || value === 'warn' || value === 'error';
}
