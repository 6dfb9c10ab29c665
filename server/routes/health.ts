import { Hono } from 'hono';
import type { Store } from '../store/store.js';

export function healthRoutes(store: Store, mode: string): Hono {
  const app = new Hono();
  app.get('/healthz', async (c) => {
    c.header('Cache-Control', 'no-store');
    try {
      await store.ping();
      return c.json({ status: 'ok', mode, store: 'ok' });
    } catch {
      return c.json({ status: 'unavailable', mode, store: 'unreachable' }, 503);
    }
  });
  return app;
}
