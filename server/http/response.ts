import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

// Per request: the headers every answer will carry, gathered by the response-headers middleware and whatever
// runs after it, and whether an answer was already built with them.
declare module 'hono' {
  interface ContextVariableMap {
    requestId: string;
    responseHeaders: Record<string, string>;
    responseHeadersSent: boolean;
  }
}

/** This request's pending answer headers, for middleware and routes to add to before the answer is built. */
export function responseHeadersOf(c: Context): Record<string, string> {
  let record = c.get('responseHeaders');
  if (!record) c.set('responseHeaders', (record = {}));
  return record;
}

/**
 * A JSON (or problem+json) answer with the pending headers and `extra` on top. It is built as a plain
 * `Response` with a plain header record: `c.json` turns more than one header into `Headers`.
 */
export function sendJson(
  c: Context,
  body: unknown,
  status: ContentfulStatusCode = 200,
  extra?: Readonly<Record<string, string>>,
): Response {
  c.set('responseHeadersSent', true);
  // The record is this request's own and this is its last use, so it is filled in place.
  const headers = responseHeadersOf(c);
  headers['Content-Type'] = 'application/json';
  if (extra) Object.assign(headers, extra);
  return new Response(JSON.stringify(body), { status, headers });
}
