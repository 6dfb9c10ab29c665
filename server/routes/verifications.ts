import { Hono } from 'hono';
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { Clock } from '../clock.js';
import { readJsonObject, optionalString, requiredString } from '../http/body.js';
import { TERMINAL_STATUSES } from '../verification/session.js';
import type { VerificationService } from '../verification/service.js';
import { HttpProblem } from '../errors.js';

export interface VerificationRoutesOptions {
  service: VerificationService;
  clock: Clock;
  clientIp: (c: Context) => string;
  /** How often an idle event stream sends a comment, so proxies keep it open. */
  heartbeatMs?: number;
}

const ID = /^[A-Za-z0-9_-]{16,64}$/;

function sessionId(c: Context): string {
  const id = c.req.param('id') ?? '';
  if (!ID.test(id)) throw new HttpProblem(404, 'not_found');
  return id;
}

/** The browser routes: start, read, follow and check a verification. */
export function verificationRoutes(options: VerificationRoutesOptions): Hono {
  const { service, clock } = options;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const app = new Hono();

  app.post('/', async (c) => {
    const body = await readJsonObject(c);
    const view = await service.start({
      siteKey: requiredString(body, 'siteKey', 128),
      phone: requiredString(body, 'phone', 64),
      country: optionalString(body, 'country', 2),
      lang: optionalString(body, 'lang', 35),
      origin: c.req.header('origin'),
      ip: options.clientIp(c),
    });
    c.header('Cache-Control', 'no-store');
    return c.json(view, 201);
  });

  app.get('/:id', async (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json(await service.get(sessionId(c), c.req.header('origin')));
  });

  app.get('/:id/events', async (c) => {
    const id = sessionId(c);
    const origin = c.req.header('origin');
    // Resolve the session before the stream starts, so an unknown id is a plain 404 problem.
    let view = await service.get(id, origin);
    c.header('Cache-Control', 'no-store');
    c.header('X-Accel-Buffering', 'no');
    return streamSSE(c, async (stream) => {
      let wake: () => void = () => {};
      const unsubscribe = service.subscribe(id, () => wake());
      stream.onAbort(() => wake());
      try {
        let sent = '';
        while (!stream.aborted) {
          const data = JSON.stringify(view);
          if (data !== sent) {
            await stream.writeSSE({ event: 'status', data });
            sent = data;
          }
          if (TERMINAL_STATUSES.has(view.status)) break;
          const untilExpiry = Date.parse(view.expiresAt) - clock.now();
          let timer: ReturnType<typeof setTimeout> | undefined;
          const woken = await new Promise<boolean>((resolve) => {
            wake = () => resolve(true);
            timer = setTimeout(() => resolve(false), Math.max(0, Math.min(heartbeatMs, untilExpiry + 5)));
          });
          clearTimeout(timer);
          if (stream.aborted) break;
          if (!woken) await stream.write(': keep-alive\n\n');
          view = await service.get(id, origin);
        }
      } finally {
        unsubscribe();
      }
    });
  });

  app.post('/:id/check', async (c) => {
    const id = sessionId(c);
    const body = await readJsonObject(c);
    const result = await service.check(id, requiredString(body, 'code', 16), c.req.header('origin'));
    c.header('Cache-Control', 'no-store');
    return c.json(result);
  });

  return app;
}
