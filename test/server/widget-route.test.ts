import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { Hono } from 'hono';
import { problemErrorHandler } from '../../server/http/problem.js';
import { silentLogger } from '../../server/log.js';
import { widgetRoutes } from '../../server/routes/widget.js';

describe('GET /widget.js and its chunks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fcv-widget-'));
  mkdirSync(join(dir, 'chunks'));
  writeFileSync(join(dir, 'widget.js'), 'import("./chunks/phone-abc123.js");');
  writeFileSync(join(dir, 'chunks', 'phone-abc123.js'), 'export const x = 1;');
  writeFileSync(join(dir, 'secret.txt'), 'not for the web');
  writeFileSync(join(dir, 'chunks', 'flags-abc123.woff2'), 'wOF2');
  // Mounted as the app mounts it, so its problems are answered by the app's one error handler.
  const app = new Hono().onError(problemErrorHandler(silentLogger)).route('/', widgetRoutes(join(dir, 'widget.js')));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('any page may load it as a module, and a revalidation costs no body', async () => {
    const first = await app.request('/widget.js', { headers: { origin: 'https://shop.example' } });
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(first.headers.get('access-control-allow-origin'), '*');
    assert.equal(first.headers.get('cross-origin-resource-policy'), 'cross-origin');
    const etag = first.headers.get('etag')!;
    assert.match(etag, /^"[\w-]{22}"$/);
    const again = await app.request('/widget.js', { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);
    assert.equal(await again.text(), '');
  });

  test('a new build gets a new ETag', async () => {
    const before = (await app.request('/widget.js')).headers.get('etag');
    writeFileSync(join(dir, 'widget.js'), 'console.log("rebuilt");');
    const { utimesSync } = await import('node:fs');
    utimesSync(join(dir, 'widget.js'), new Date(), new Date(Date.now() + 5000));
    const afterBuild = await app.request('/widget.js');
    assert.notEqual(afterBuild.headers.get('etag'), before);
    assert.equal(await afterBuild.text(), 'console.log("rebuilt");');
  });

  test('chunks are immutable, and nothing outside their folder is reachable', async () => {
    const chunk = await app.request('/chunks/phone-abc123.js');
    assert.equal(chunk.status, 200);
    assert.equal(chunk.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(chunk.headers.get('access-control-allow-origin'), '*');
    assert.equal(chunk.headers.get('content-type'), 'text/javascript; charset=utf-8');
    // The flag font, fetched by pages of any origin (fonts are CORS requests).
    const font = await app.request('/chunks/flags-abc123.woff2');
    assert.equal(font.status, 200);
    assert.equal(font.headers.get('content-type'), 'font/woff2');
    assert.equal(font.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(font.headers.get('access-control-allow-origin'), '*');
    assert.equal(await font.text(), 'wOF2');
    for (const path of ['/chunks/..%2Fsecret.txt', '/chunks/secret.txt', '/chunks/missing-1.js', '/chunks/%2e%2e%2fwidget.js']) {
      const missing = await app.request(path);
      assert.equal(missing.status, 404, path);
      // A browser that kept a missing chunk would never load it again, even after the deploy completes.
      assert.equal(missing.headers.get('cache-control'), 'no-store', path);
    }
  });
});
