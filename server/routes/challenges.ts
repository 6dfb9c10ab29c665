import { Hono } from 'hono';
import type { Context } from 'hono';
import { readJsonBody } from '../http/body.js';
import { sendJson } from '../http/response.js';
import { ChallengeRequestSchema } from '../schemas.js';
import type { VerificationService } from '../verification/service.js';

/** Server to server: a site's backend names the number it already holds and the action to confirm. */
export function challengeRoutes(service: VerificationService, clientIp: (c: Context) => string): Hono {
  const app = new Hono();
  app.post('/', async (c) => {
    const body = await readJsonBody(c, ChallengeRequestSchema);
    return sendJson(c, await service.createChallenge(body, clientIp(c)), 201, { 'Cache-Control': 'no-store' });
  });
  return app;
}
