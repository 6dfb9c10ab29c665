import { Hono } from 'hono';
import type { Logger } from '../log.js';
import { HttpProblem } from '../errors.js';
import { readCallbackParams } from '../http/body.js';
import { renderRcml } from '../restcomm/rcml.js';
import { renderVoiceRcml } from '../restcomm/voice-rcml.js';
import { parseStatusCallback } from '../restcomm/status.js';
import type { VerificationService } from '../verification/service.js';

/** A session id, a dot, and the base64url SHA-256 MAC of the id. */
const HOOK_TOKEN = /^[A-Za-z0-9_-]{16,64}\.[A-Za-z0-9_-]{43}$/;

/**
 * Restcomm's callbacks. Restcomm signs nothing, so the unguessable token in the path is the credential:
 * an unknown token is a 404 and changes nothing.
 */
export function restcommHookRoutes(service: VerificationService, log: Logger): Hono {
  const app = new Hono();

  app.on(['GET', 'POST'], '/:hookToken/rcml', async (c) => {
    const hookToken = c.req.param('hookToken');
    if (!HOOK_TOKEN.test(hookToken)) throw new HttpProblem(404, 'not_found');
    const params = await readCallbackParams(c);
    const spoken = await service.spokenCode(hookToken, params.From ?? '');
    if (!spoken) throw new HttpProblem(404, 'not_found');
    const rcml = spoken.channel === 'voice' ? renderVoiceRcml(spoken) : renderRcml(spoken);
    return c.body(rcml, 200, { 'Content-Type': 'text/xml; charset=utf-8', 'Cache-Control': 'no-store' });
  });

  app.post('/:hookToken/status', async (c) => {
    const hookToken = c.req.param('hookToken');
    if (!HOOK_TOKEN.test(hookToken)) throw new HttpProblem(404, 'not_found');
    const event = parseStatusCallback(await readCallbackParams(c));
    if (!(await service.hookSession(hookToken))) throw new HttpProblem(404, 'not_found');
    if (!event) {
      log('warn', 'hook.unreadable_status', {});
      throw new HttpProblem(400, 'invalid_request', 'Not a status callback.');
    }
    await service.applyCallStatus(hookToken, event);
    // Restcomm parses a non-empty answer as XML, so the body stays empty.
    return c.body(null, 200);
  });

  app.all('/:hookToken/rcml', () => {
    throw new HttpProblem(405, 'method_not_allowed', undefined, {}, { Allow: 'GET, POST' });
  });
  app.all('/:hookToken/status', () => {
    throw new HttpProblem(405, 'method_not_allowed', undefined, {}, { Allow: 'POST' });
  });
  return app;
}
