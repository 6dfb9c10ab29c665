import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { createFlashCallApp } from './app.js';
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import type { Config, Env } from './config.js';
import { ConfigError, loadConfig } from './config.js';
import type { Logger } from './log.js';
import { silentLogger } from './log.js';
import type { Random } from './random.js';
import { cryptoRandom } from './random.js';
import { metricsRoutes } from './metrics/index.js';
import { createRestcommProvider } from './restcomm/driver.js';
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
  /** Overrides the store `REDIS_URL` or `REDIS_CLUSTER_NODES` would select. */
  store?: Store;
  /** Overrides the Restcomm driver (in either mode). */
  provider?: TelephonyProvider;
  /** Where the provider's callbacks go, when not this server itself (such as another instance). */
  publicUrl?: string;
  widgetFile?: string;
  /**
   * A layer on top of the app, set up once the listener is bound (its address is known, no request served):
   * its provider replaces the Restcomm driver and its routes are mounted beside the API. The sandbox is one.
   */
  extend?: (server: ListeningServer) => ServerExtension | Promise<ServerExtension>;
}

/** What `extend` is given: the server as configured and bound, before the app exists. */
export interface ListeningServer {
  config: Config;
  /** This server as seen from itself, such as `http://127.0.0.1:8787`, whatever address it is bound to. */
  selfUrl: string;
  clock: Clock;
  random: Random;
  log: Logger;
}

export interface ServerExtension {
  provider?: TelephonyProvider;
  /** Apps mounted at a path, after the API's own routes. */
  mounts?: Record<string, Hono>;
  /** Called when the server closes, after it stops taking connections. */
  close?(): void;
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
  /** The private metrics listener's `/metrics`, when metrics are on and it is. */
  metricsUrl?: string;
  /** Graceful: requests in flight get up to `graceMs` to finish before their connections are cut. */
  close(graceMs?: number): Promise<void>;
}

/**
 * Starts the whole server: configuration, store, provider and HTTP listener. Sandbox mode has no Restcomm to
 * call, so it needs a provider or an `extend` that brings one (`startSandboxServer` from the sandbox entry).
 */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const env = options.env ?? process.env;
  const config = loadConfig(env, options.random);
  const clock = options.clock ?? systemClock;
  const random = options.random ?? cryptoRandom;
  const log = options.log ?? silentLogger;
  for (const { variable, message } of config.warnings) log('warn', 'config.warning', { variable, message });

  // The listener starts first: a layer such as the sandbox may point the provider at this very port.
  let handler: (request: Request, env: unknown) => Response | Promise<Response> = () => new Response('Starting', { status: 503 });
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

  let extension: ServerExtension = {};
  try {
    extension = (await options.extend?.({ config, selfUrl: loopbackUrl(address), clock, random, log })) ?? {};
  } catch (error) {
    server.close();
    throw error;
  }
  const provider = options.provider ?? extension.provider ?? (config.restcomm ? createRestcommProvider(config.restcomm) : undefined);
  if (!provider) {
    server.close();
    extension.close?.();
    throw new ConfigError(
      'FCV_MODE',
      'is sandbox, which calls no one: start it with startSandboxServer (flash-call-verify/sandbox), or give a provider',
    );
  }
  const store = options.store ?? (await openStore(config, clock, log));

  const shutdown = new AbortController();
  const { app, service, metrics } = createFlashCallApp({
    shutdown: shutdown.signal,
    config,
    store,
    provider,
    clock,
    random,
    log,
    mounts: extension.mounts,
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
      shutdown.abort();
      extension.close?.();
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
    metricsUrl,
    async close(graceMs = 10_000) {
      // Stop taking connections, let requests in flight finish, and end event streams cleanly.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const metricsClosed = new Promise<void>((resolve) => (metricsServer ? metricsServer.close(() => resolve()) : resolve()));
      (metricsServer as unknown as { closeAllConnections?: () => void } | undefined)?.closeAllConnections?.();
      shutdown.abort();
      extension.close?.();
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
  if (!config.redisUrl && !config.redisClusterNodes) return new MemoryStore({ clock });
  const { RedisStore } = await import('./store/redis.js');
  return new RedisStore({
    ...(config.redisClusterNodes ? { clusterNodes: config.redisClusterNodes } : { url: config.redisUrl }),
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
