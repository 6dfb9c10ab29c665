import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { HttpProblem } from '../../server/errors.js';
import { problemErrorHandler, problemResponse } from '../../server/http/problem.js';
import { bodyLimit } from '../../server/middleware/body-limit/index.js';
import { browserCors } from '../../server/middleware/browser-cors/index.js';
import { sendJson } from '../../server/http/response.js';
import { responseHeaders } from '../../server/middleware/response-headers/index.js';
import { PAGE_ORIGIN, startSandbox, type SandboxClient } from '../support/sandbox.js';

/** A small app on the Node adapter, as the server runs: the fast paths depend on it. */
function tinyApp(): Hono {
  const app = new Hono();
  app.onError(problemErrorHandler(() => {}));
  app.use(responseHeaders());
  app.use('/api/*', bodyLimit({ maxBytes: 64, onTooLarge: (c) => problemResponse(c, new HttpProblem(413, 'payload_too_large')) }));
  app.use('/api/*', browserCors({ allowOrigin: (origin) => origin === PAGE_ORIGIN }));
  app.get('/api/json', (c) => sendJson(c, { ok: true }, 200, { 'Cache-Control': 'no-store' }));
  app.post('/api/echo', async (c) => sendJson(c, { length: (await c.req.text()).length }));
  app.get('/api/fails', () => {
    throw new HttpProblem(429, 'rate_limited', undefined, { retryAfter: 7 }, { 'Retry-After': '7' });
  });
  app.get('/api/own', (c) => c.text('own', 200, { 'X-Frame-Options': 'DENY', Vary: 'Accept-Encoding' }));
  return app;
}

describe('response headers, body limit and CORS on the Node adapter', () => {
  let server: ServerType;
  let base: string;
  before(async () => {
    server = serve({ fetch: tinyApp().fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => (server.listening ? resolve() : server.once('listening', () => resolve())));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => void server.close());

  test('a JSON answer carries the security headers, a request id, CORS and its own headers', async () => {
    const answer = await fetch(`${base}/api/json`, { headers: { origin: PAGE_ORIGIN } });
    assert.equal(answer.status, 200);
    assert.deepEqual(await answer.json(), { ok: true });
    assert.equal(answer.headers.get('content-type'), 'application/json');
    assert.equal(answer.headers.get('cache-control'), 'no-store');
    assert.equal(answer.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(answer.headers.get('strict-transport-security'), 'max-age=15552000; includeSubDomains');
    assert.match(answer.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/, 'a new request id');
    assert.equal(answer.headers.get('access-control-allow-origin'), PAGE_ORIGIN);
    assert.equal(answer.headers.get('vary'), 'Origin', 'Vary names Origin once');
  });

  test("a proxy's request id is kept, a malformed one replaced", async () => {
    const kept = await fetch(`${base}/api/json`, { headers: { 'x-request-id': 'edge-1234=' } });
    assert.equal(kept.headers.get('x-request-id'), 'edge-1234=');
    const replaced = await fetch(`${base}/api/json`, { headers: { 'x-request-id': 'no spaces <here>' } });
    assert.notEqual(replaced.headers.get('x-request-id'), 'no spaces <here>');
    assert.match(replaced.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  });

  test('an origin no site allows gets no CORS grant', async () => {
    const answer = await fetch(`${base}/api/json`, { headers: { origin: 'https://evil.example' } });
    assert.equal(answer.headers.get('access-control-allow-origin'), null);
    assert.equal(answer.headers.get('vary'), 'Origin');
  });

  test('a problem carries the same headers as a success, plus its own', async () => {
    const answer = await fetch(`${base}/api/fails`, { headers: { origin: PAGE_ORIGIN } });
    assert.equal(answer.status, 429);
    assert.equal(answer.headers.get('content-type'), 'application/problem+json');
    assert.equal(answer.headers.get('retry-after'), '7');
    assert.equal(answer.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(answer.headers.get('access-control-allow-origin'), PAGE_ORIGIN);
    assert.equal((await answer.json()).code, 'rate_limited');
  });

  test('headers a route set itself are not replaced, and Vary is merged', async () => {
    const answer = await fetch(`${base}/api/own`, { headers: { origin: PAGE_ORIGIN } });
    assert.equal(await answer.text(), 'own');
    assert.equal(answer.headers.get('x-frame-options'), 'DENY');
    assert.equal(answer.headers.get('vary'), 'Accept-Encoding, Origin');
    assert.equal(answer.headers.get('x-content-type-options'), 'nosniff');
    assert.ok(answer.headers.get('x-request-id'));
  });

  test('a body within the limit reaches the route, declared or chunked', async () => {
    const declared = await fetch(`${base}/api/echo`, { method: 'POST', body: 'x'.repeat(64) });
    assert.equal(declared.status, 200);
    assert.deepEqual(await declared.json(), { length: 64 });
    const chunked = await fetch(`${base}/api/echo`, {
      method: 'POST',
      body: stream(['x'.repeat(30), 'y'.repeat(30)]),
      duplex: 'half',
    } as RequestInit);
    assert.equal(chunked.status, 200);
    assert.deepEqual(await chunked.json(), { length: 60 });
  });

  test('a body over the limit is 413, whether its length is declared or it is chunked', async () => {
    const declared = await fetch(`${base}/api/echo`, { method: 'POST', body: 'x'.repeat(65) });
    assert.equal(declared.status, 413);
    assert.equal((await declared.json()).code, 'payload_too_large');
    const chunked = await fetch(`${base}/api/echo`, {
      method: 'POST',
      body: stream(['x'.repeat(40), 'y'.repeat(40)]),
      duplex: 'half',
    } as RequestInit);
    assert.equal(chunked.status, 413);
    assert.equal((await chunked.json()).code, 'payload_too_large');
  });
});

function stream(parts: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const part of parts) controller.enqueue(encoder.encode(part));
      controller.close();
    },
  });
}

describe('the verification routes over HTTP', () => {
  let sandbox: SandboxClient;
  before(async () => (sandbox = await startSandbox()));
  after(() => sandbox.server.close());

  test('a start names Origin in Vary once, and a preflight still answers', async () => {
    const started = await sandbox.request('/v1/verifications', {
      method: 'POST',
      headers: { origin: PAGE_ORIGIN },
      json: { siteKey: 'pk_sandbox', phone: '+447400123456' },
    });
    assert.equal(started.status, 201);
    assert.equal(started.headers.get('vary'), 'Origin');
    assert.equal(started.headers.get('cache-control'), 'no-store');
    const preflight = await sandbox.request('/v1/verifications', {
      method: 'OPTIONS',
      headers: { origin: PAGE_ORIGIN, 'access-control-request-method': 'POST' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), PAGE_ORIGIN);
  });
});
