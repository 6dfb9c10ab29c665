import { html } from 'hono/html';

function layout(title: string, body: ReturnType<typeof html>) {
  return html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="color-scheme" content="light dark" />
    <title>${title}</title>
    <link rel="stylesheet" href="/demo/demo.css" />
  </head>
  <body>
    <header class="topbar">
      <span class="brand"><span class="logo" aria-hidden="true">◆</span> Northwind</span>
      <span class="badge" title="No real calls are placed">Sandbox</span>
    </header>
    ${body}
    <footer class="footer">
      Phone verification by <strong>flash-call-verify</strong>, running in sandbox mode: calls ring the simulated phone on this page.
    </footer>
  </body>
</html>`;
}

export function renderSignupPage(options: { origin: string; siteKey: string; secret: string }) {
  const { origin, siteKey, secret } = options;
  const embed = `<script type="module" src="${origin}/widget.js"></script>

<form action="/signup" method="post">
  <flash-call-verify site-key="${siteKey}" name="phone_token" required></flash-call-verify>
  <button>Sign up</button>
</form>`;
  const curl = `curl -s ${origin}/v1/siteverify \\
  -d secret=${secret} -d token="$PHONE_TOKEN"
# {"success":true,"phone":"+447418301234","siteKey":"${siteKey}",...}`;
  const node = `const answer = await fetch('${origin}/v1/siteverify', {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ secret: process.env.FCV_SITE_SECRET, token: req.body.phone_token }),
}).then((r) => r.json());
if (!answer.success) return res.status(400).send('Phone not verified');
// answer.phone is the verified number in E.164; the token is now spent.`;

  return layout(
    'Create your account · Northwind',
    html`<main class="stage">
      <section class="card signup" aria-labelledby="signup-title">
        <h1 id="signup-title">Create your account</h1>
        <p class="lede">We verify your phone with a missed call: no SMS, no code to wait for.</p>
        <form id="signup" action="/signup" method="post">
          <label class="field">
            <span>Full name</span>
            <input name="name" autocomplete="name" placeholder="Ada Lovelace" required />
          </label>
          <label class="field">
            <span>Email</span>
            <input name="email" type="email" autocomplete="email" placeholder="ada@example.com" required />
          </label>
          <flash-call-verify site-key="${siteKey}" name="phone_token" default-country="GB" required></flash-call-verify>
          <button class="submit" type="submit">Sign up</button>
          <p class="fine">Try any mobile number, such as <button type="button" class="sample" data-number="07418 301234">07418 301234</button> (United Kingdom). The call rings the sandbox phone.</p>
        </form>
      </section>

      <aside class="phone-column" aria-label="Sandbox phone">
        <div class="phone" id="sandbox-phone" data-state="idle">
          <div class="phone-notch" aria-hidden="true"></div>
          <div class="phone-screen">
            <div class="phone-status" aria-hidden="true"><span>9:41</span><span>● ● ●</span></div>
            <div class="phone-idle">
              <p class="phone-hint">Sandbox phone</p>
              <p class="phone-sub">Verify a number on the left. The flash call shows up here.</p>
            </div>
            <div class="phone-call" role="status" aria-live="polite">
              <p class="call-label"></p>
              <p class="caller-id" data-testid="caller-id"></p>
              <p class="call-hint"></p>
              <p class="spoken" hidden></p>
              <div class="call-actions">
                <button type="button" class="answer" data-action="answer">Answer</button>
              </div>
            </div>
            <div class="phone-recents">
              <h2>Recent calls</h2>
              <ol class="recents" aria-label="Recent calls"></ol>
            </div>
          </div>
        </div>
      </aside>
    </main>

    <section class="docs" aria-labelledby="docs-title">
      <h2 id="docs-title">Put it on your own site</h2>
      <div class="docs-grid">
        <article class="card snippet">
          <h3>1. Embed the element</h3>
          <pre><code>${embed}</code></pre>
          <button type="button" class="copy" data-copy="embed">Copy</button>
        </article>
        <article class="card snippet">
          <h3>2. Redeem the token on your server</h3>
          <div class="tabs" role="tablist">
            <button type="button" role="tab" aria-selected="true" aria-controls="redeem-curl" id="tab-curl">curl</button>
            <button type="button" role="tab" aria-selected="false" aria-controls="redeem-node" id="tab-node">Node</button>
          </div>
          <pre id="redeem-curl" role="tabpanel" aria-labelledby="tab-curl"><code>${curl}</code></pre>
          <pre id="redeem-node" role="tabpanel" aria-labelledby="tab-node" hidden><code>${node}</code></pre>
          <button type="button" class="copy" data-copy="redeem">Copy</button>
        </article>
      </div>
      <p class="fine">Sandbox site key <code>${siteKey}</code>, secret <code>${secret}</code>. In production the secret stays on your server; the browser only ever sees the site key.</p>
    </section>
    <script type="module" src="${origin}/widget.js"></script>
    <script type="module" src="/demo/phone.js"></script>`,
  );
}

export function renderResult(options: { name: string; token: string; answer: Record<string, unknown> }) {
  const { name, answer } = options;
  const verified = answer.success === true;
  const phone = typeof answer.phone === 'string' ? answer.phone : '';
  const errors = Array.isArray(answer['error-codes']) ? (answer['error-codes'] as unknown[]).map(String) : [];
  return layout(
    verified ? 'Welcome · Northwind' : 'Not verified · Northwind',
    html`<main class="stage single">
      <section class="card result ${verified ? 'ok' : 'bad'}" aria-labelledby="result-title">
        ${verified
          ? html`<p class="result-icon" aria-hidden="true">✓</p>
              <h1 id="result-title" data-testid="result">Welcome${name ? `, ${name}` : ''}. <span class="nowrap" dir="ltr">${phone}</span> verified.</h1>
              <p class="lede">Your backend redeemed the token once with <code>POST /v1/siteverify</code> and learned the number below. Redeeming it again would fail.</p>`
          : html`<p class="result-icon" aria-hidden="true">!</p>
              <h1 id="result-title" data-testid="result">The phone number was not verified.</h1>
              <p class="lede">siteverify answered <code>${errors.join(', ') || 'no success'}</code>. Tokens are single-use and expire after 5 minutes.</p>`}
        <h2>What the backend received</h2>
        <pre><code>${JSON.stringify(answer, null, 2)}</code></pre>
        <p><a class="submit link-button" href="/">Verify another number</a></p>
      </section>
    </main>`,
  );
}
