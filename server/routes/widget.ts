import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Hono } from 'hono';
import type { Context } from 'hono';
import { HttpProblem } from '../errors.js';

interface Built {
  type: string;
  mtimeMs: number;
  body: Uint8Array;
  etag: string;
}

/**
 * What a build writes beside widget.js: `chunks/<name>-<hash>.js`, and the flag font for platforms without
 * flag emoji (`.woff2`), the hash making each name immutable.
 */
const CHUNK_NAME = /^[\w-]+\.(js|woff2)$/;

/**
 * Serves the built element. Pages load it as a module script, a CORS request, so any origin may read it;
 * the ETag lets browsers keep it for long and still pick up a new build. The entry imports its chunks
 * relative to its own URL, so they come from here too, each name content-hashed and cached for good.
 */
export function widgetRoutes(file: string): Hono {
  const cache = new Map<string, Built>();
  const load = async (path: string, missing: string): Promise<Built> => {
    let info;
    try {
      info = await stat(path);
    } catch {
      throw new HttpProblem(404, 'not_found', missing);
    }
    let built = cache.get(path);
    if (!built || built.mtimeMs !== info.mtimeMs) {
      const body = new Uint8Array(await readFile(path));
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
      built = { type: path.endsWith('.woff2') ? 'font/woff2' : 'text/javascript; charset=utf-8', mtimeMs: info.mtimeMs, body, etag };
      cache.set(path, built);
    }
    return built;
  };
  const serve = (c: Context, { type, body, etag }: Built, cacheControl: string) => {
    const headers = {
      'Content-Type': type,
      'Cache-Control': cacheControl,
      ETag: etag,
      'Access-Control-Allow-Origin': '*',
      'Cross-Origin-Resource-Policy': 'cross-origin',
    };
    if (c.req.header('if-none-match') === etag) return c.body(null, 304, headers);
    return c.body(body as Uint8Array<ArrayBuffer>, 200, headers);
  };

  const app = new Hono();
  app.get('/widget.js', async (c) =>
    serve(c, await load(file, 'widget.js is not built yet: run `npm run build`.'), 'public, max-age=3600, stale-while-revalidate=86400'),
  );
  app.get('/chunks/:name', async (c) => {
    const name = c.req.param('name');
    // The pattern admits no separator and no dot-dot, so the path stays inside the chunk folder.
    if (!CHUNK_NAME.test(name)) throw new HttpProblem(404, 'not_found');
    const built = await load(join(dirname(file), 'chunks', name), 'No such chunk in this build.');
    return serve(c, built, 'public, max-age=31536000, immutable');
  });
  return app;
}
