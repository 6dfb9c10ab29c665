import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Hono } from 'hono';
import type { Context } from 'hono';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { renderResultPage, renderSignupPage } from './pages.js';
import type { Payment } from './payment.js';
import { renderPaymentPage, renderPaymentResultPage } from './payment.js';

export interface DemoOptions {
  /** Where the demo backend redeems tokens: this server's own siteverify, reached server to server. */
  siteverifyUrl: string;
  /** Where the bank page's backend creates its challenges: this server's own `/v1/challenges`. */
  challengesUrl: string;
  siteKey: string;
  secret: string;
  /** The caller ID patterns calls come from (`+44741830XXXX`), so the sandbox phone can mark the code digits. */
  callerIds?: string[];
  /** Caller IDs of calls meant to be answered (the voice channel), which carry no code digits. */
  voiceCallerIds?: string[];
}

const ASSETS: Record<string, string> = {
  'demo.css': 'text/css; charset=utf-8',
  'phone.js': 'text/javascript; charset=utf-8',
  'page.js': 'text/javascript; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};

const SIGNUP_FIELDS = 16 * 1024;

/** The bank customer's number on file: any number rings the sandbox phone, and this one is no other demo's. */
export const PHONE_ON_FILE = '+447418303456';
const PAYMENT = { amount: '£120.00', payee: 'Acme Supplies Ltd' } as const;
const PAYMENT_ID = /^pay_[0-9a-f]{8}$/;

/** A backend's call to the verification server; an unreachable one answers as siteverify would name it. */
async function postJson(url: string, body: unknown): Promise<{ status: number; answer: Record<string, unknown> }> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    });
    return { status: response.status, answer: (await response.json()) as Record<string, unknown> };
  } catch {
    return { status: 502, answer: { success: false, 'error-codes': ['siteverify-unreachable'] } };
  }
}

/** The form a page posted, or an empty one for a body that is none (or too large). */
async function readForm(c: Context): Promise<Record<string, unknown>> {
  if (Number(c.req.header('content-length') ?? 0) > SIGNUP_FIELDS) return {};
  try {
    return await c.req.parseBody();
  } catch {
    // A body that is not a form: treated as one without a token, which siteverify refuses.
    return {};
  }
}

/** Metadata parts of the phone's script, one per calling code, hashed by the build (vite.demo.config.ts). */
const CHUNK = /^metadata-\d{1,3}-[\w-]+\.js$/;

/**
 * Compiled into `dist/demo/`, everything is beside this module (build:lib copies the stylesheet and icon
 * there, build:widget builds the scripts there). From source, the stylesheet and icon are beside it and
 * the built scripts in `dist/demo/`.
 */
async function readAsset(name: string): Promise<string | undefined> {
  for (const candidate of [new URL(name, import.meta.url), new URL(`../dist/demo/${name}`, import.meta.url)]) {
    try {
      return await readFile(candidate, 'utf8');
    } catch {
      // Try the next place.
    }
  }
  return undefined;
}

/**
 * The sandbox's front door: a signup page that embeds the element as any third-party site would, the
 * backend half that redeems the token, and a simulated handset beside the form.
 */
export function createDemoApp(options: DemoOptions): Hono {
  const app = new Hono();
  const callerIds = options.callerIds?.length ? options.callerIds : ['+44741830XXXX'];

  app.get('/', (c) => {
    c.header('Cache-Control', 'no-store');
    // The snippets and the script tag name the address the visitor used, so they work when copied.
    const origin = new URL(c.req.url).origin;
    return c.html(
      renderSignupPage({
        origin,
        siteKey: options.siteKey,
        secret: options.secret,
        callerIds,
        ...(options.voiceCallerIds ? { voiceCallerIds: options.voiceCallerIds } : {}),
      }),
    );
  });

  // What kind of line a sandbox call went to, for the phone's call screen: only full metadata can tell a
  // mobile from a landline, and it stays on the server rather than in the page.
  app.get('/demo/line-type/:number', (c) => {
    const number = c.req.param('number');
    const type = number.length <= 32 ? parsePhoneNumberFromString(number)?.getType() : undefined;
    return c.json({ number, type: type ?? null }, 200, { 'Cache-Control': 'max-age=3600' });
  });

  app.get('/demo/chunks/:chunk', async (c) => {
    const name = c.req.param('chunk');
    const body = CHUNK.test(name) ? await readAsset(`chunks/${name}`) : undefined;
    if (body === undefined) return c.notFound();
    // Named by content: a new build names a changed part anew.
    return c.body(body, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=31536000, immutable' });
  });

  app.get('/demo/:asset', async (c) => {
    const name = c.req.param('asset');
    const type = ASSETS[name];
    if (!type) return c.notFound();
    const body = await readAsset(name);
    if (body === undefined) return c.notFound();
    return c.body(body, 200, { 'Content-Type': type, 'Cache-Control': 'no-cache' });
  });

  // Someone who reloads the welcome page with GET lands back on the form rather than on an error.
  app.get('/signup', (c) => c.redirect('/', 303));

  // What a site's own backend does with the form: redeem the token once, then trust the number it names.
  app.post('/signup', async (c) => {
    if (Number(c.req.header('content-length') ?? 0) > SIGNUP_FIELDS) return c.text('Form too large', 413);
    const form = await readForm(c);
    const token = typeof form.phone_token === 'string' ? form.phone_token : '';
    const name = typeof form.name === 'string' ? form.name.slice(0, 80) : '';
    const { answer } = await postJson(options.siteverifyUrl, { secret: options.secret, token });
    c.header('Cache-Control', 'no-store');
    const page = renderResultPage({
      name,
      token,
      request: { url: '/v1/siteverify', secret: options.secret },
      answer,
    });
    return c.html(page, answer.success === true ? 200 : 400);
  });

  // The second page: a bank confirming a payment on the number it holds. Its backend creates the challenge
  // (server to server, with the secret) before rendering, and the page carries only the challenge.
  app.get('/pay', async (c) => {
    const payment: Payment = { id: `pay_${randomBytes(4).toString('hex')}`, ...PAYMENT };
    const request = { secret: options.secret, phone: PHONE_ON_FILE, action: 'payment', context: payment.id };
    const { status, answer } = await postJson(options.challengesUrl, request);
    const challenge = status === 201 && typeof answer.challenge === 'string' ? answer.challenge : undefined;
    c.header('Cache-Control', 'no-store');
    return c.html(
      renderPaymentPage({
        origin: new URL(c.req.url).origin,
        siteKey: options.siteKey,
        payment,
        challenge,
        phoneMasked: typeof answer.phoneMasked === 'string' ? answer.phoneMasked : undefined,
        // The page shows what the backend sent, the challenge shortened: it is in the element's attribute anyway.
        created: {
          request,
          status,
          answer: challenge ? { ...answer, challenge: `${challenge.slice(0, 14)}…${challenge.slice(-4)}` } : answer,
        },
        callerIds,
        ...(options.voiceCallerIds ? { voiceCallerIds: options.voiceCallerIds } : {}),
      }),
      challenge ? 200 : 502,
    );
  });

  app.post('/pay', async (c) => {
    const form = await readForm(c);
    const token = typeof form.phone_token === 'string' ? form.phone_token : '';
    const id = typeof form.payment === 'string' && PAYMENT_ID.test(form.payment) ? form.payment : 'pay_unknown';
    const { answer } = await postJson(options.siteverifyUrl, { secret: options.secret, token });
    c.header('Cache-Control', 'no-store');
    const page = renderPaymentResultPage({
      payment: { id, ...PAYMENT },
      phoneOnFile: PHONE_ON_FILE,
      request: { url: '/v1/siteverify', secret: options.secret, token },
      answer,
    });
    return c.html(page, answer.success === true ? 200 : 400);
  });

  return app;
}
