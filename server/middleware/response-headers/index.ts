import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { requestHeader } from '../../http/request-header.js';
import { responseHeadersOf } from '../../http/response.js';

/**
 * The headers that still do something for an API and the few pages beside it (OWASP's REST cheat sheet):
 * HTTPS only, no MIME sniffing, no framing by other sites, no referrer. Hono's `secureHeaders()` adds five
 * more that only old browsers (X-XSS-Protection, X-Download-Options), plug-ins (X-Permitted-Cross-Domain-
 * Policies) or HTML documents (X-DNS-Prefetch-Control, Origin-Agent-Cluster) read; every JSON answer
 * would carry them for nothing. The cross-origin policies are left out: other sites load widget.js.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Strict-Transport-Security': 'max-age=15552000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'SAMEORIGIN',
  'Referrer-Policy': 'no-referrer',
});

export interface ResponseHeadersOptions {
  /** Sent on every answer; by default `SECURITY_HEADERS`. */
  headers?: Readonly<Record<string, string>>;
  /** Carries the request id, taken from the request when it is well formed (as a proxy sets it), else new. */
  requestIdHeader?: string;
}

const REQUEST_ID = /^[\w=-]{1,255}$/;

/**
 * Headers every answer carries (security, the request id, and whatever later middleware adds, such as
 * CORS), gathered before the handler runs into one plain record. JSON answers are built with the record
 * whole through `sendJson`; any other answer gets it set afterwards, without replacing what its route set.
 * Setting headers on `c.res` after the handler, as Hono's own middleware does, makes the Node adapter build
 * WHATWG `Headers` and leave its fast path, which costs more than the hot routes' own work.
 */
export function responseHeaders(options: ResponseHeadersOptions = {}): MiddlewareHandler {
  const fixed = options.headers ?? SECURITY_HEADERS;
  const idHeader = options.requestIdHeader ?? 'X-Request-Id';
  const idHeaderLower = idHeader.toLowerCase();
  return async (c, next) => {
    const incoming = requestHeader(c, idHeaderLower);
    const id = incoming !== undefined && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    c.set('requestId', id);
    c.set('responseHeaders', { ...fixed, [idHeader]: id });
    await next();
    if (c.get('responseHeadersSent')) return;
    const record = responseHeadersOf(c);
    const headers = c.res.headers;
    for (const name in record) {
      if (name === 'Vary') appendVary(headers, record[name]!);
      else if (!headers.has(name)) headers.set(name, record[name]!);
    }
  };
}

function appendVary(headers: Headers, value: string): void {
  const present = headers.get('Vary');
  if (!present) headers.set('Vary', value);
  else if (!present.split(',').some((part) => part.trim().toLowerCase() === value.toLowerCase()))
    headers.set('Vary', `${present}, ${value}`);
}
