import { readFile } from 'node:fs/promises';
import { Hono } from 'hono';
import { renderResult, renderSignupPage } from './page.js';

export interface DemoOptions {
  /** Where the demo backend redeems tokens: this server's own siteverify, reached server to server. */
  siteverifyUrl: string;
  siteKey: string;
  secret: string;
}

const ASSETS: Record<string, string> = {
  'demo.css': 'text/css; charset=utf-8',
  'phone.js': 'text/javascript; charset=utf-8',
};

/**
 * The sandbox's front door: a signup page that embeds the element exactly as a third-party site would,
 * the backend half that redeems the token, and a simulated handset beside the form.
 */
export function createDemoApp(options: DemoOptions): Hono {
  const app = new Hono();

  app.get('/', (c) => {
    c.header('Cache-Control', 'no-store');
    return c.html(renderSignupPage({ origin: new URL(c.req.url).origin, siteKey: options.siteKey, secret: options.secret }));
  });

  app.get('/demo/:asset', async (c) => {
    const name = c.req.param('asset');
    const type = ASSETS[name];
    if (!type) return c.notFound();
    const body = await readFile(new URL(name, import.meta.url), 'utf8');
    return c.body(body, 200, { 'Content-Type': type, 'Cache-Control': 'no-cache' });
  });

  // What a site's own backend does with the form: redeem the token once, then trust the number it names.
  app.post('/signup', async (c) => {
    const form = await c.req.parseBody();
    const token = typeof form.phone_token === 'string' ? form.phone_token : '';
    const name = typeof form.name === 'string' ? form.name.slice(0, 80) : '';
    const request = { secret: options.secret, token };
    let answer: Record<string, unknown>;
    try {
      const response = await fetch(options.siteverifyUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request),
        signal: AbortSignal.timeout(5000),
      });
      answer = (await response.json()) as Record<string, unknown>;
    } catch {
      answer = { success: false, 'error-codes': ['siteverify-unreachable'] };
    }
    c.header('Cache-Control', 'no-store');
    return c.html(renderResult({ name, token, answer }), answer.success === true ? 200 : 400);
  });

  return app;
}
