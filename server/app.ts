import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import type { Context } from 'hono';
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import type { Config } from './config.js';
import { HttpProblem } from './errors.js';
import { problemErrorHandler, problemNotFound, problemResponse } from './http/problem.js';
import type { Logger } from './log.js';
import { silentLogger } from './log.js';
import type { FlashCallMetrics } from './metrics/index.js';
import { createMetrics, metricsRoutes } from './metrics/index.js';
import { clientIpResolver } from './http/client-ip.js';
import { bodyLimit } from './middleware/body-limit/index.js';
import { browserCors } from './middleware/browser-cors/index.js';
import { requestLog } from './middleware/request-log/index.js';
import { responseHeaders } from './middleware/response-headers/index.js';
import { withCircuitBreaker } from './telephony/circuit-breaker.js';
import type { Random } from './random.js';
import { cryptoRandom } from './random.js';
import { challengeRoutes } from './routes/challenges.js';
import { healthRoutes } from './routes/health.js';
import { openApiRoutes } from './routes/openapi.js';
import { restcommHookRoutes } from './routes/hooks.js';
import { siteverifyRoutes } from './routes/siteverify.js';
import { verificationRoutes } from './routes/verifications.js';
import { widgetRoutes } from './routes/widget.js';
import type { Store } from './store/store.js';
import type { TelephonyProvider } from './telephony/provider.js';
import { VerificationService } from './verification/service.js';

export interface AppOptions {
  config: Config;
  store: Store;
  provider: TelephonyProvider;
  clock?: Clock;
  random?: Random;
  log?: Logger;
  /** The address limits count against. Defaults to the socket's peer. */
  clientIp?: (c: Context) => string;
  /** The built element; defaults to `dist/widget.js` beside the server. */
  widgetFile?: string;
  /** Extra apps mounted at a path, after the API's own routes: how the sandbox adds its emulator, phone and demo. */
  mounts?: Record<string, Hono>;
  /** Aborted when the server begins to shut down. */
  shutdown?: AbortSignal;
  /** Where counts go; by default a new registry when `config.metrics` is enabled, else none. */
  metrics?: FlashCallMetrics;
}

export interface FlashCallApp {
  app: Hono;
  service: VerificationService;
  /** Present when metrics are on: render `metrics.registry` wherever Prometheus can reach it. */
  metrics?: FlashCallMetrics;
}

/**
 * The built element. From source this module is `server/app.ts` and the build is in `dist/`; compiled it is
 * `dist/server/app.js`, beside the build.
 */
function defaultWidgetFile(): string {
  const here = fileURLToPath(import.meta.url);
  const compiled = here.endsWith('.js');
  return join(dirname(dirname(here)), ...(compiled ? ['widget.js'] : ['dist', 'widget.js']));
}

export function createApp(options: AppOptions): Hono {
  return createFlashCallApp(options).app;
}

/** The app and the service behind it, for embedders and tests that reach past HTTP. */
export function createFlashCallApp(options: AppOptions): FlashCallApp {
  const { config, store } = options;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? cryptoRandom;
  const log = options.log ?? silentLogger;
  const metrics = options.metrics ?? (config.metrics?.enabled ? createMetrics() : undefined);
  const provider = withCircuitBreaker(options.provider, {
    clock,
    onChange: (state) => {
      log(state === 'closed' ? 'info' : 'error', 'provider.circuit', { state });
      metrics?.circuit(state);
    },
  });
  const service = new VerificationService({ config, store, provider, clock, random, log, metrics });

  const app = new Hono();
  app.onError(problemErrorHandler(log));
  app.notFound(problemNotFound);
  // Security headers and the request id; widget.js sets its own cross-origin resource policy.
  app.use(responseHeaders());
  app.use(requestLog({ log }));
  const limitBody = bodyLimit({
    maxBytes: config.bodyLimitBytes,
    onTooLarge: (c) => problemResponse(c, new HttpProblem(413, 'payload_too_large')),
  });
  app.use('/v1/*', limitBody);
  app.use('/hooks/*', limitBody);
  // The wildcard also matches `/v1/verifications` itself.
  app.use('/v1/verifications/*', browserCors({ allowOrigin: (origin) => service.anySiteAllows(origin) }));

  const clientIp = options.clientIp ?? clientIpResolver(config.trustedProxies);
  app.route('/v1/verifications', verificationRoutes({ service, clock, clientIp, shutdown: options.shutdown }));
  app.route('/v1/siteverify', siteverifyRoutes(service, clientIp));
  app.route('/v1/challenges', challengeRoutes(service, clientIp));
  app.route('/hooks/restcomm', restcommHookRoutes(service, log));
  app.route('/', healthRoutes(store, config.mode));
  app.route('/', openApiRoutes(config.publicUrl));
  // On the public port only behind a token: the counts tell competitors and attackers too much.
  if (metrics && config.metrics?.token) app.route('/', metricsRoutes(metrics.registry, { token: config.metrics.token }));
  app.route('/', widgetRoutes(options.widgetFile ?? defaultWidgetFile()));
  for (const [path, mounted] of Object.entries(options.mounts ?? {})) app.route(path, mounted);

  const notAllowed = (allow: string) => () => {
    throw new HttpProblem(405, 'method_not_allowed', undefined, {}, { Allow: allow });
  };
  app.all('/v1/verifications', notAllowed('POST, OPTIONS'));
  app.all('/v1/verifications/:id', notAllowed('GET, OPTIONS'));
  app.all('/v1/verifications/:id/events', notAllowed('GET, OPTIONS'));
  app.all('/v1/verifications/:id/check', notAllowed('POST, OPTIONS'));
  app.all('/v1/verifications/:id/fallback', notAllowed('POST, OPTIONS'));
  app.all('/v1/siteverify', notAllowed('POST'));
  app.all('/v1/challenges', notAllowed('POST'));
  return { app, service, metrics };
}
