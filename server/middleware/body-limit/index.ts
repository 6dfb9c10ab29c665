import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit as streamedBodyLimit } from 'hono/body-limit';
import { requestHeader } from '../../http/request-header.js';

export interface BodyLimitOptions {
  maxBytes: number;
  /** The answer to a body over the limit. */
  onTooLarge: (c: Context) => Response | Promise<Response>;
}

const BODILESS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses request bodies over `maxBytes`. A declared `Content-Length` is enough to decide, since the HTTP
 * parser never delivers more than it declares; only a chunked body is counted as it streams in. Hono's own
 * limiter opens the body stream for every request, which on Node costs more than the route it guards.
 */
export function bodyLimit(options: BodyLimitOptions): MiddlewareHandler {
  const streamed = streamedBodyLimit({ maxSize: options.maxBytes, onError: options.onTooLarge });
  return async (c, next) => {
    if (BODILESS.has(c.req.method)) return next();
    const length = requestHeader(c, 'content-length');
    if (length !== undefined && requestHeader(c, 'transfer-encoding') === undefined) {
      return Number(length) > options.maxBytes ? options.onTooLarge(c) : next();
    }
    return streamed(c, next);
  };
}
