import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { HttpProblem } from '../server/errors.js';
import type { ProblemCode } from '../server/errors.js';
import { EmulatorError } from './restcomm-emulator.js';
import type { RestcommEmulator } from './restcomm-emulator.js';

const NO_STORE = { 'cache-control': 'no-store' };

/**
 * The sandbox phone's API: list the simulated calls and texts (newest first), and pick a call up. Failures are thrown as problems for the
 * app it is mounted in to answer.
 */
export function createSandboxRoutes(emulator: RestcommEmulator): Hono {
  const app = new Hono();
  app.get('/calls', (c) => c.json(emulator.calls(), 200, NO_STORE));
  app.get('/messages', (c) => c.json(emulator.messages(), 200, NO_STORE));
  app.post('/calls/:sid/answer', async (c) => {
    try {
      return c.json(await emulator.answer(c.req.param('sid')), 200, NO_STORE);
    } catch (error) {
      if (!(error instanceof EmulatorError)) throw error;
      const [status, code]: [ContentfulStatusCode, ProblemCode] =
        error.code === 'not_found'
          ? [404, 'not_found']
          : error.code === 'invalid_state'
            ? [409, 'invalid_request']
            : [502, 'provider_unavailable'];
      throw new HttpProblem(status, code, error.message);
    }
  });
  return app;
}
