import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../../log.js';

export interface RequestLogOptions {
  log: Logger;
  /** Paths with secrets in them, rewritten before they are logged. */
  redact?: Array<[RegExp, string]>;
}

const DEFAULT_REDACTIONS: Array<[RegExp, string]> = [[/^\/hooks\/restcomm\/[^/]+/, '/hooks/restcomm/:hookToken']];

/** One JSON line per request, tied to its request id, with no query string and no path secret. */
export function requestLog(options: RequestLogOptions): MiddlewareHandler {
  const redactions = options.redact ?? DEFAULT_REDACTIONS;
  return async (c, next) => {
    const started = performance.now();
    await next();
    let path = c.req.path;
    for (const [pattern, replacement] of redactions) path = path.replace(pattern, replacement);
    options.log(c.res.status >= 500 ? 'error' : 'info', 'request', {
      requestId: c.get('requestId' as never),
      method: c.req.method,
      path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    });
  };
}
