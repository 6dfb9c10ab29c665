import { Hono } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import type { Registry } from 'prom-client';

export interface MetricsRoutesOptions {
  /** Required as `Authorization: Bearer <token>`; without it the route is open, for a private listener. */
  token?: string;
}

/** `GET /metrics` in the Prometheus text format. */
export function metricsRoutes(registry: Registry, options: MetricsRoutesOptions = {}): Hono {
  const app = new Hono();
  if (options.token) app.use('/metrics', bearerAuth({ token: options.token }));
  app.get('/metrics', async (c) =>
    c.body(await registry.metrics(), 200, { 'Content-Type': registry.contentType, 'Cache-Control': 'no-store' }),
  );
  return app;
}
