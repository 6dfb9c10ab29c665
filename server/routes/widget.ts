import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { Hono } from 'hono';
import { HttpProblem } from '../errors.js';

interface Built {
  mtimeMs: number;
  body: Uint8Array;
  etag: string;
}

/**
 * Serves the built element. Pages load it as a module script, a CORS request, so any origin may read it;
 * the ETag lets browsers keep it for long and still pick up a new build.
 */
export function widgetRoutes(file: string): Hono {
  let built: Built | undefined;
  const load = async (): Promise<Built> => {
    let info;
    try {
      info = await stat(file);
    } catch {
      throw new HttpProblem(404, 'not_found', 'widget.js is not built yet: run `npm run build`.');
    }
    if (!built || built.mtimeMs !== info.mtimeMs) {
      const body = new Uint8Array(await readFile(file));
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
      built = { mtimeMs: info.mtimeMs, body, etag };
    }
    return built;
  };

  const app = new Hono();
  app.get('/widget.js', async (c) => {
    const { body, etag } = await load();
    const headers = {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': 'public, max-age=3600, stale-while-revalidate=86400',
      ETag: etag,
      'Access-Control-Allow-Origin': '*',
      'Cross-Origin-Resource-Policy': 'cross-origin',
    };
    if (c.req.header('if-none-match') === etag) return c.body(null, 304, headers);
    return c.body(body as Uint8Array<ArrayBuffer>, 200, headers);
  });
  return app;
}
