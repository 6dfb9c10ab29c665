import { Hono } from 'hono';
import type { Context } from 'hono';
import { readJsonOrForm, validInput } from '../http/body.js';
import { SiteverifyRequestSchema } from '../schemas.js';
import type { VerificationService } from '../verification/service.js';

/**
 * Server-to-server redemption. It answers 200 with `success` in every case, as Turnstile and reCAPTCHA do,
 * so a site's backend needs only one code path; the one exception is a client sending too many wrong
 * secrets, which gets a 429 problem.
 */
export function siteverifyRoutes(service: VerificationService, clientIp: (c: Context) => string): Hono {
  const app = new Hono();
  app.post('/', async (c) => {
    let fields;
    try {
      fields = validInput(await readJsonOrForm(c), SiteverifyRequestSchema);
    } catch {
      return c.json({ success: false, 'error-codes': ['bad-request'] });
    }
    c.header('Cache-Control', 'no-store');
    return c.json(await service.redeem(fields.secret, fields.token ?? fields.response, clientIp(c)));
  });
  return app;
}
