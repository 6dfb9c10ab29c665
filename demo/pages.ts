import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { LANGUAGES } from '../widget/i18n/load.js';

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

const LOGO = raw(`<svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true" focusable="false">
  <rect width="32" height="32" rx="9" fill="var(--accent)"/>
  <path d="M11.2 8.5c.6-.6 1.6-.6 2.1.1l1.9 2.5c.4.6.4 1.4-.1 1.9l-1.2 1.2a11 11 0 0 0 4 4l1.2-1.2c.5-.5 1.3-.6 1.9-.1l2.5 1.9c.7.5.7 1.5.1 2.1l-1.3 1.3c-.9.9-2.3 1.2-3.5.7a17.5 17.5 0 0 1-9.8-9.8c-.5-1.2-.2-2.6.7-3.5z" fill="var(--accent-contrast)"/>
  <path d="M22.6 5.5l-2.9 4.6h2.5l-1.6 4.4 4.3-5.6h-2.6l1.6-3.4z" fill="#fde047"/>
</svg>`);

export function layout(options: { title: string; body: Html; scripts?: string[]; topbarExtra?: Html }): Html {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <meta
          name="description"
          content="Phone verification by flash call: a drop-in web component and a self-hosted server. Sandbox demo."
        />
        <title>${options.title}</title>
        <link rel="icon" href="/demo/favicon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="/demo/demo.css" />
        ${(options.scripts ?? []).map((src) => html`<script type="module" src="${src}"></script>`)}
      </head>
      <body>
        <a class="skip" href="#main">Skip to the demo</a>
        <header class="topbar">
          <div class="topbar-inner">
            <a class="brand" href="/">${LOGO}<span>flash-call-verify</span></a>
            <span class="pill" title="Calls ring the simulated phone on this page; nothing leaves this machine.">Sandbox</span>
            <nav class="nav" aria-label="Documentation">
              <a href="/#embed">Embed</a>
              <a href="/#redeem">Redeem</a>
              <a href="/pay">Confirm a payment</a>
              <a href="/openapi.json">API</a>
            </nav>
          </div>
          ${options.topbarExtra ?? ''}
        </header>
        <main id="main">${options.body}</main>
        <footer class="footer">
          <p>
            Sandbox mode: calls go to the built-in Restcomm emulator and ring the phone on this page. Real calls need production mode: the
            <code>RESTCOMM_*</code> credentials with <code>FCV_SITES</code>, <code>FCV_SECRET</code> and <code>PUBLIC_URL</code>.
          </p>
        </footer>
      </body>
    </html>`;
}

/** A Chrome-less browser window, so the page reads as "a site that embeds the element", not as the product. */
export function browserFrame(address: string, content: Html): Html {
  return html`<div class="browser">
    <div class="browser-bar" aria-hidden="true">
      <span class="dots"><i></i><i></i><i></i></span>
      <span class="address"
        ><svg viewBox="0 0 16 16" width="12" height="12">
          <path d="M4.5 7V5.5a3.5 3.5 0 0 1 7 0V7M3.5 7h9v6.5h-9z" fill="none" stroke="currentColor" stroke-width="1.4" /></svg
        >${address}</span
      >
    </div>
    <div class="browser-body">${content}</div>
  </div>`;
}

/** The simulated handset, filled in by `/demo/phone.js`. */
export function sandboxPhone(callerIds: string[], voiceCallerIds: string[] = []): Html {
  return html`<div
    id="sandbox-phone"
    class="phone"
    role="region"
    aria-label="Sandbox phone"
    data-calls-url="/sandbox/calls"
    data-messages-url="/sandbox/messages"
    data-line-type-url="/demo/line-type"
    data-banner-slot="sandbox-heads-up"
    data-caller-ids="${JSON.stringify(callerIds)}"
    data-voice-caller-ids="${JSON.stringify(voiceCallerIds)}"
  >
    <noscript><p class="phone-noscript">The sandbox phone needs JavaScript.</p></noscript>
  </div>`;
}

type Language = 'html' | 'js' | 'sh' | 'json';

/** Each language's tokens: the first non-empty capture group names the kind, by its place in `KINDS`. */
const TOKENS: Record<Language, RegExp> = {
  js: /(\/\/[^\n]*)|('(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`)|\b(const|await|if|return|async|new)\b/g,
  sh: /(#[^\n]*)|('[^'\n]*'|"(?:[^"\\\n]|\\.)*")|(^curl\b)/gm,
  html: /()("[^"]*")|()(<\/?[\w-]+)|([\w-]+)(?==)/g,
  json: /()("(?:[^"\\]|\\.)*")|\b(true|false|null)\b/g,
};
const KINDS = ['comment', 'string', 'keyword', 'tag', 'attr'] as const;

/** Light syntax colouring, done here so the page needs no highlighter script. */
export function highlight(code: string, language: Language): Html {
  const escape = (text: string) =>
    text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
  let out = '';
  let last = 0;
  for (const match of code.matchAll(TOKENS[language])) {
    const index = match.slice(1).findIndex((group) => group);
    if (index < 0 || match[0] === '') continue;
    out += escape(code.slice(last, match.index)) + `<span class="tok-${KINDS[index]}">${escape(match[0])}</span>`;
    last = match.index + match[0].length;
  }
  return raw(out + escape(code.slice(last)));
}

function codeBlock(id: string, language: Language, code: string): Html {
  return html`<div class="code-block">
    <button
      type="button"
      class="copy"
      data-copy="${id}"
      aria-label="Copy the ${language === 'sh' ? 'curl' : language === 'js' ? 'Node' : 'HTML'} snippet"
    >
      Copy
    </button>
    <pre tabindex="0"><code id="${id}" class="language-${language}">${highlight(code, language)}</code></pre>
  </div>`;
}

export interface SignupPageOptions {
  /** The verification server's public origin, as the visitor reached it. */
  origin: string;
  siteKey: string;
  secret: string;
  /** Caller ID patterns (`+44741830XXXX`): the phone uses them to tell the code digits apart. */
  callerIds: string[];
  /** Caller IDs of calls meant to be answered (the voice channel): the phone shows no code digits for them. */
  voiceCallerIds?: string[];
}

export function embedSnippet(origin: string, siteKey: string): string {
  return `<script type="module" src="${origin}/widget.js"></script>

<form action="/signup" method="post">
  <flash-call-verify site-key="${siteKey}" name="phone_token" required></flash-call-verify>
  <button>Create account</button>
</form>`;
}

export function curlSnippet(origin: string, secret: string): string {
  return `curl -s ${origin}/v1/siteverify \\
     -d secret=${secret} \\
     -d token="$PHONE_TOKEN"`;
}

export function nodeSnippet(origin: string, secret: string): string {
  return `// POST /signup, in your backend (Node 18+)
const result = await fetch('${origin}/v1/siteverify', {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    secret: process.env.FCV_SITE_SECRET, // '${secret}' in the sandbox
    token: req.body.phone_token,
  }),
}).then((response) => response.json());

if (!result.success) return res.status(400).send('Please verify your phone number.');
const phone = result.phone; // E.164, verified: '+447418301234'`;
}

/** The element's languages, each named in itself; picking one sets the element's `lang` (demo/browser/page.ts). */
function languagePicker(): Html {
  const name = (language: string) => {
    // Plain `pt` is European Portuguese here, as in the element.
    const tag = language === 'pt' ? 'pt-PT' : language;
    const text = new Intl.DisplayNames([tag], { type: 'language' }).of(tag) ?? language;
    return text.charAt(0).toLocaleUpperCase(tag) + text.slice(1);
  };
  return html`<label class="lang-picker"
    >Element language
    <select id="element-lang" data-element-lang autocomplete="off">
      ${LANGUAGES.map((language) => html`<option value="${language}" lang="${language}" ${language === 'en' ? 'selected' : ''}>${name(language)}</option>`)}
    </select></label
  >`;
}

export function renderSignupPage(options: SignupPageOptions): Html {
  const { origin, siteKey, secret } = options;
  const sample = JSON.stringify(
    { success: true, phone: '+447418301234', siteKey, verifiedAt: '2026-01-01T12:00:00.000Z', hostname: new URL(origin).hostname },
    null,
    2,
  );
  const signup = html`<form id="signup" class="signup" action="/signup" method="post">
    <div class="site-brand" aria-hidden="true"><span class="site-logo"></span>Northwind</div>
    <h2 id="signup-title">Create your account</h2>
    <p class="muted">Start your 14-day trial. No card needed.</p>
    <div class="field">
      <label for="name">Full name</label>
      <input id="name" name="name" type="text" autocomplete="name" placeholder="Ada Lovelace" maxlength="80" />
    </div>
    <div class="field">
      <label for="email">Work email</label>
      <input id="email" name="email" type="email" autocomplete="email" placeholder="ada@example.com" maxlength="120" />
    </div>
    <flash-call-verify
      site-key="${siteKey}"
      name="phone_token"
      default-country="GB"
      preferred-countries="GB,IE,US"
      channel="flash"
      required
    ></flash-call-verify>
    <button class="submit" type="submit">Create account</button>
    <p class="fine">
      The phone number is checked by a flash call, or a call or text when that does not get through. Your backend redeems the token before
      it trusts the number.
    </p>
  </form>`;

  const body = html`<section class="hero" aria-labelledby="hero-title">
      <h1 id="hero-title">Verify a phone number with one&nbsp;missed&nbsp;call.</h1>
      <p class="lede">
        The caller ID is the code. Your user types its last digits, and your backend gets a verified number. No SMS, no third party: you run
        the server.
      </p>
      <ol class="steps" aria-label="Try it">
        <li>
          <span class="step-n">1</span
          ><span>Enter a mobile number, such as <strong class="nowrap">07418 301234</strong>, and press <strong>Verify</strong>.</span>
        </li>
        <li>
          <span class="step-n">2</span
          ><span>The <strong>sandbox phone</strong> rings. The last 4 digits of the caller ID are the code.</span>
        </li>
        <li>
          <span class="step-n">3</span><span>Type them into the boxes, or answer to hear them, then <strong>Create account</strong>.</span>
        </li>
      </ol>
      <p class="muted">
        No call? <strong>Didn’t get the call?</strong> offers a call that reads the code and a text whose code Chrome on Android fills in
        one tap.
      </p>
    </section>

    <section class="stage" aria-label="Live demo">
      <div class="stage-site">
        <div class="site-head">
          <p class="eyebrow"><span class="eyebrow-dot"></span>Your signup page</p>
          ${languagePicker()}
        </div>
        <fieldset class="channel-picker" id="channel-picker">
          <legend>Send the first code by</legend>
          <label><input type="radio" name="demo-channel" value="flash" checked /> Flash call</label>
          <label><input type="radio" name="demo-channel" value="voice" /> Voice call</label>
          <label><input type="radio" name="demo-channel" value="sms" /> Text message</label>
        </fieldset>
        ${browserFrame('northwind.example/signup', signup)}
      </div>
      <div class="stage-phone">
        <p class="eyebrow"><span class="eyebrow-dot phone-dot"></span>Sandbox phone</p>
        ${sandboxPhone(options.callerIds, options.voiceCallerIds)}
        <p class="phone-caption">Stands in for your user's handset: every sandbox call and text arrives here, whatever the number.</p>
      </div>
    </section>

    <section class="docs" aria-labelledby="embed-title">
      <div class="docs-intro">
        <h2 id="embed-title">Put it on your site</h2>
        <p class="muted">
          Two snippets: one in the page, one in your backend. The site key is public; the secret never leaves your server.
        </p>
      </div>
      <div class="docs-grid">
        <article class="doc-card" id="embed">
          <div class="doc-intro">
            <h3><span class="step-n">1</span>Embed the element</h3>
            <p class="muted">
              One script tag, and the element inside your form. Once the number is verified, the form sends a single-use token as
              <code>phone_token</code>.
            </p>
          </div>
          <div class="doc-body">${codeBlock('snippet-embed', 'html', embedSnippet(origin, siteKey))}</div>
        </article>
        <article class="doc-card" id="redeem">
          <div class="doc-intro">
            <h3><span class="step-n">2</span>Redeem it on your server</h3>
            <p class="muted">
              Exchange the token once, with your secret, for the verified number. This demo's <code>/signup</code> does exactly this.
            </p>
          </div>
          <div class="doc-body">
            <div class="tabs" data-tabs>
              <div class="tab-list" role="tablist" aria-label="Language">
                <button type="button" role="tab" id="tab-node" aria-controls="panel-node" aria-selected="true">Node</button>
                <button type="button" role="tab" id="tab-curl" aria-controls="panel-curl" aria-selected="false" tabindex="-1">curl</button>
              </div>
              <div role="tabpanel" id="panel-node" aria-labelledby="tab-node">
                ${codeBlock('snippet-node', 'js', nodeSnippet(origin, secret))}
              </div>
              <div role="tabpanel" id="panel-curl" aria-labelledby="tab-curl" hidden>
                ${codeBlock('snippet-curl', 'sh', curlSnippet(origin, secret))}
              </div>
            </div>
            <p class="muted answer-label">The answer</p>
            <pre class="json" tabindex="0"><code>${highlight(sample, 'json')}</code></pre>
          </div>
        </article>
      </div>
    </section>`;

  return layout({
    title: 'flash-call-verify · sandbox demo',
    body,
    // Where the sandbox phone shows an incoming call while the handset is scrolled out of sight.
    topbarExtra: html`<div id="sandbox-heads-up"></div>`,
    scripts: [`${origin}/widget.js`, '/demo/phone.js', '/demo/page.js'],
  });
}

export interface ResultPageOptions {
  name: string;
  token: string;
  request: { url: string; secret: string };
  answer: Record<string, unknown>;
}

const REASONS: Record<string, string> = {
  'missing-input-response': 'The form arrived without a phone token: the number was not verified before the form was sent.',
  'invalid-input-response': 'The token is not one this server issued.',
  'timeout-or-duplicate':
    'This token was already redeemed, has expired (tokens last 5 minutes), or was never issued. Tokens are single-use, so sending the form again fails.',
  'missing-input-secret': 'The backend sent no secret.',
  'invalid-input-secret': 'The backend sent the wrong secret for this site.',
  'bad-request': 'The backend sent a malformed request.',
  'siteverify-unreachable': 'The backend could not reach the verification server.',
};

export function formatPhone(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}

/** Long enough to recognise, short enough not to invite copying a live token out of a screenshot. */
function shortToken(token: string): string {
  return token.length > 16 ? `${token.slice(0, 10)}…${token.slice(-4)}` : token;
}

export function renderResultPage(options: ResultPageOptions): Html {
  const { answer, name } = options;
  const success = answer.success === true && typeof answer.phone === 'string';
  const codes = Array.isArray(answer['error-codes']) ? answer['error-codes'].map(String) : [];
  const requestBody = JSON.stringify({ secret: options.request.secret, token: shortToken(options.token) }, null, 2);
  const first = name.trim().split(/\s+/)[0] ?? '';

  const card = success
    ? html`<div class="result success" data-testid="result" data-result="verified">
        <div class="result-icon" aria-hidden="true">
          <svg viewBox="0 0 24 24" width="28" height="28">
            <path
              d="M5 12.5l4.5 4.5L19 7.5"
              fill="none"
              stroke="currentColor"
              stroke-width="2.6"
              stroke-linecap="round"
              stroke-linejoin="round"
            />
          </svg>
        </div>
        <h1 class="result-title">${first ? `Welcome, ${first}.` : 'Welcome.'}</h1>
        <p class="muted">Your Northwind account is ready.</p>
        <p class="verified-number">
          <span class="number">${formatPhone(answer.phone as string)}</span>
          <span class="badge-verified">verified</span>
        </p>
        <a class="button" href="/">Try another number</a>
      </div>`
    : html`<div class="result failure" data-testid="result" data-result="failed">
        <div class="result-icon" aria-hidden="true">
          <svg viewBox="0 0 24 24" width="28" height="28">
            <path d="M7 7l10 10M17 7L7 17" fill="none" stroke="currentColor" stroke-width="2.6" stroke-linecap="round" />
          </svg>
        </div>
        <h1 class="result-title">Phone number not verified</h1>
        <ul class="reasons">
          ${(codes.length ? codes : ['bad-request']).map(
            (code) => html`<li><code>${code}</code><span>${REASONS[code] ?? 'The verification server refused the token.'}</span></li>`,
          )}
        </ul>
        <a class="button" href="/">Back to the signup page</a>
      </div>`;

  const body = html`<section class="stage result-stage" aria-label="Result">
    <div class="stage-site">
      <p class="eyebrow"><span class="eyebrow-dot"></span>Your site, after the form is sent</p>
      ${browserFrame('northwind.example/welcome', card)}
    </div>
    <div class="stage-backend">
      <p class="eyebrow"><span class="eyebrow-dot backend-dot"></span>What your backend did</p>
      <div class="backend-card">
        <p class="backend-step"><span class="method">POST</span> <code>${options.request.url}</code></p>
        <pre class="json" tabindex="0"><code>${highlight(requestBody, 'json')}</code></pre>
        <p class="backend-step">
          <span class="method">200</span>
          <span class="outcome ${success ? 'ok' : 'bad'}">${success ? 'success' : 'refused'}</span>
          <span class="muted"
            >${success ? 'the number is verified, and the token is now spent' : 'siteverify did not accept the token'}</span
          >
        </p>
        <pre
          class="json"
          data-testid="siteverify-answer"
          tabindex="0"
        ><code>${highlight(JSON.stringify(answer, null, 2), 'json')}</code></pre>
        <p class="muted small">
          ${
            success
              ? html`Send the same token again (reload this page) and the answer is <code>timeout-or-duplicate</code>: a token is redeemed
                  only once.`
              : 'A site never trusts a number the browser sends: only a successful answer from siteverify.'
          }
        </p>
      </div>
    </div>
  </section>`;

  return layout({ title: success ? 'Welcome · flash-call-verify demo' : 'Not verified · flash-call-verify demo', body });
}
