import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../../log.js';

export interface RequestLogOptions {
  log: Logger;
  /** Requests logged at debug level only: routine polling that would drown everything else. */
  quiet?: (path: string, method: string) => boolean;
  /** Paths with secrets in them, rewritten before they are logged. */
  redact?: Array<[RegExp, string]>;
}

const DEFAULT_REDACTIONS: Array<[RegExp, string]> = [[/^\/hooks\/restcomm\/[^/]+/, '/hooks/restcomm/:hookToken']];

/** One JSON line per request, tied to its request id, with no query string and no path secret. */
export function requestLog(options: RequestLogOptions): MiddlewareHandler {
  const redactions = options.redact ?? DEFAULT_REDACTIONS;
  const quiet = options.quiet ?? ((path: string, method: string) => method === 'GET' && path.startsWith('/sandbox/'));
  return async (c, next) => {
    const started = performance.now();
    await next();
    let path = c.req.path;
    for (const [pattern, replacement] of redactions) path = path.replace(pattern, replacement);
    const level = c.res.status >= 500 ? 'error' : quiet(c.req.path, c.req.method) ? 'debug' : 'info';
    options.log(level, 'request', {
      requestId: c.get('requestId' as never),
      method: c.req.method,
      path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    });
  };
}
