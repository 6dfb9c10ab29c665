import { Hono } from 'hono';
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { Clock } from '../clock.js';
import { readJsonBody } from '../http/body.js';
import { CheckRequestSchema, FallbackRequestSchema, IdempotencyKeySchema, SessionIdSchema, StartRequestSchema } from '../schemas.js';
import { TERMINAL_STATUSES } from '../verification/session.js';
import type { PublicSession } from '../verification/view.js';
import type { VerificationService } from '../verification/service.js';
import { HttpProblem } from '../errors.js';
import { requestHeader } from '../http/request-header.js';
import { sendJson } from '../http/response.js';

export interface VerificationRoutesOptions {
  service: VerificationService;
  clock: Clock;
  clientIp: (c: Context) => string;
  /** How often an idle event stream sends a comment, so proxies keep it open. */
  heartbeatMs?: number;
  /** Aborted when the server shuts down: event streams end cleanly instead of being cut. */
  shutdown?: AbortSignal;
}

const NO_STORE = { 'Cache-Control': 'no-store' } as const;

function idempotencyKey(c: Context): string | undefined {
  const key = requestHeader(c, 'idempotency-key');
  if (key === undefined) return undefined;
  if (!IdempotencyKeySchema.safeParse(key).success) {
    throw new HttpProblem(400, 'invalid_request', 'Idempotency-Key must be 1 to 255 visible ASCII characters.');
  }
  return key;
}

function sessionId(c: Context): string {
  const id = SessionIdSchema.safeParse(c.req.param('id'));
  if (!id.success) throw new HttpProblem(404, 'not_found');
  return id.data;
}

/** The browser routes: start, read, follow and check a verification, and send its code another way. */
export function verificationRoutes(options: VerificationRoutesOptions): Hono {
  const { service, clock } = options;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const app = new Hono();

  app.post('/', async (c) => {
    const body = await readJsonBody(c, StartRequestSchema);
    const view = await service.start({
      siteKey: body.siteKey,
      phone: body.phone,
      challenge: body.challenge,
      country: body.country || undefined,
      lang: body.lang || undefined,
      channel: body.channel ?? undefined,
      origin: requestHeader(c, 'origin'),
      ip: options.clientIp(c),
      idempotencyKey: idempotencyKey(c),
    });
    return sendJson(c, view, 201, NO_STORE);
  });

  app.get('/:id', async (c) => {
    return sendJson(c, await service.get(sessionId(c), requestHeader(c, 'origin')), 200, NO_STORE);
  });

  app.get('/:id/events', async (c) => {
    const id = sessionId(c);
    const origin = requestHeader(c, 'origin');
    // Listen before the first read, so no change can fall between the two.
    let changed = false;
    let resolveWait: (() => void) | undefined;
    const wake = () => {
      changed = true;
      resolveWait?.();
    };
    const unsubscribe = service.subscribe(id, wake);
    let view: PublicSession;
    try {
      // Resolved before the stream starts, so an unknown id is a plain 404 problem.
      view = await service.get(id, origin);
    } catch (error) {
      unsubscribe();
      throw error;
    }
    c.header('Cache-Control', 'no-store');
    c.header('X-Accel-Buffering', 'no');
    return streamSSE(c, async (stream) => {
      const stop = () => resolveWait?.();
      options.shutdown?.addEventListener('abort', stop);
      stream.onAbort(stop);
      const ended = () => stream.aborted || options.shutdown?.aborted === true;
      try {
        let sent = '';
        while (!ended()) {
          const data = JSON.stringify(view);
          if (data !== sent) {
            await stream.writeSSE({ event: 'status', data });
            sent = data;
          }
          if (TERMINAL_STATUSES.has(view.status)) break;
          // Wake on a change, at expiry, or for a heartbeat, whichever comes first.
          const untilExpiry = Date.parse(view.expiresAt) - clock.now();
          let timer: ReturnType<typeof setTimeout> | undefined;
          await new Promise<void>((resolve) => {
            resolveWait = resolve;
            if (changed) resolve();
            timer = setTimeout(resolve, Math.max(0, Math.min(heartbeatMs, untilExpiry + 5)));
          });
          resolveWait = undefined;
          clearTimeout(timer);
          if (ended()) break;
          if (!changed) await stream.write(': keep-alive\n\n');
          changed = false;
          view = await service.get(id, origin);
        }
      } catch {
        // The store went away mid-stream: end it, and the client falls back to polling, which answers 503.
      } finally {
        unsubscribe();
        options.shutdown?.removeEventListener('abort', stop);
      }
    });
  });

  app.post('/:id/check', async (c) => {
    const id = sessionId(c);
    const { code } = await readJsonBody(c, CheckRequestSchema);
    const result = await service.check(id, code, requestHeader(c, 'origin'));
    return sendJson(c, result, 200, NO_STORE);
  });

  app.post('/:id/fallback', async (c) => {
    const id = sessionId(c);
    const { channel } = await readJsonBody(c, FallbackRequestSchema);
    const view = await service.fallback(id, {
      channel,
      origin: requestHeader(c, 'origin'),
      ip: options.clientIp(c),
      idempotencyKey: idempotencyKey(c),
    });
    return sendJson(c, view, 200, NO_STORE);
  });

  return app;
}
