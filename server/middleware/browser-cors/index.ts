import type { MiddlewareHandler } from 'hono';
import { HttpProblem } from '../../errors.js';
import { problemResponse } from '../../http/problem.js';
import { requestHeader } from '../../http/request-header.js';
import { responseHeadersOf } from '../../http/response.js';

export interface BrowserCorsOptions {
  /** Whether a page of this origin may call at all; each route still checks the origin against its own site. */
  allowOrigin: (origin: string) => boolean;
  methods?: string[];
  headers?: string[];
  maxAgeSeconds?: number;
}

const DEFAULTS = { methods: ['GET', 'POST'], headers: ['Content-Type', 'Idempotency-Key'], maxAgeSeconds: 600 };

/**
 * CORS for the routes browsers call from sites' pages: the caller's own origin is echoed when some site
 * allows it, never `*`, so a page of another origin cannot read the answers. The headers of an actual
 * request join the pending answer headers (see `responseHeaders`), so it needs that middleware before it.
 */
export function browserCors(options: BrowserCorsOptions): MiddlewareHandler {
  const settings = { ...DEFAULTS, ...options };
  const allowMethods = settings.methods.join(', ');
  const allowHeaders = settings.headers.join(', ');
  return async (c, next) => {
    const origin = requestHeader(c, 'origin');
    const allowed = origin !== undefined && settings.allowOrigin(origin);
    if (c.req.method === 'OPTIONS') {
      if (!allowed) return problemResponse(c, new HttpProblem(403, 'origin_not_allowed'));
      return c.body(null, 204, {
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Allow-Methods': allowMethods,
        'Access-Control-Allow-Headers': allowHeaders,
        'Access-Control-Max-Age': String(settings.maxAgeSeconds),
        Vary: 'Origin',
      });
    }
    const headers = responseHeadersOf(c);
    headers.Vary = 'Origin';
    if (allowed) {
      headers['Access-Control-Allow-Origin'] = origin;
      headers['Access-Control-Expose-Headers'] = 'Retry-After';
    }
    await next();
  };
}
