import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';

/**
 * A request header, by its lower-case name. On Node, the adapter builds a WHATWG `Headers` object the first
 * time any header is read, which costs as much as a whole status request; Node has parsed the headers
 * already, so they are read from there. Elsewhere (such as `app.request` in tests) this is `c.req.header`.
 */
export function requestHeader(c: Context, name: string): string | undefined {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (!incoming) return c.req.header(name);
  const value = incoming.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}
