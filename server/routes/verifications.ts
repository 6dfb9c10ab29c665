import { Hono } from 'hono';
import type { Context } from 'hono';
import type { Clock } from '../clock.js';
import { readJsonBody } from '../http/body.js';
import { CheckRequestSchema, FallbackRequestSchema, IdempotencyKeySchema, SessionIdSchema, StartRequestSchema } from '../schemas.js';
import type { VerificationService } from '../verification/service.js';
import { HttpProblem } from '../errors.js';
import { requestHeader } from '../http/request-header.js';
import { sendJson } from '../http/response.js';
import { SessionEvents } from './session-events.js';

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
  const events = new SessionEvents({ service, clock, heartbeatMs: options.heartbeatMs ?? 15_000, shutdown: options.shutdown });
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

  app.get('/:id/events', async (c) => events.open(c, sessionId(c), requestHeader(c, 'origin')));

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
