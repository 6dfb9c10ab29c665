import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { browserFrame, formatPhone, highlight, layout, sandboxPhone } from './pages.js';

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** The bank's customer: the number it holds on file, and the payment waiting for confirmation. */
export interface Payment {
  id: string;
  amount: string;
  payee: string;
}

export interface PaymentPageOptions {
  origin: string;
  siteKey: string;
  payment: Payment;
  /** The number on file, masked as the challenge's answer gave it. */
  phoneMasked?: string;
  challenge?: string;
  /** What the bank's backend sent and got when it created the challenge, shown beside the page. */
  created: { request: Record<string, unknown>; status: number; answer: Record<string, unknown> };
  callerIds: string[];
  /** The voice channel's caller ID, so the phone shows its calls as meant to be answered. */
  voiceCallerIds?: string[];
}

function paymentSummary(payment: Payment): Html {
  return html`<dl class="payment-summary">
    <div>
      <dt>To</dt>
      <dd>${payment.payee}</dd>
    </div>
    <div>
      <dt>Amount</dt>
      <dd class="amount">${payment.amount}</dd>
    </div>
    <div>
      <dt>Reference</dt>
      <dd><code>${payment.id}</code></dd>
    </div>
  </dl>`;
}

/**
 * A bank's confirmation screen: its backend has created a challenge for the number on file, bound to this
 * payment, and the page carries only the challenge. The visitor types no number.
 */
export function renderPaymentPage(options: PaymentPageOptions): Html {
  const { payment, created } = options;
  const form = options.challenge
    ? html`<form id="confirm" class="signup bank" action="/pay" method="post">
        <div class="site-brand" aria-hidden="true"><span class="site-logo bank-logo"></span>Lakeside Bank</div>
        <h2 id="confirm-title">Confirm your payment</h2>
        ${paymentSummary(payment)}
        <input type="hidden" name="payment" value="${payment.id}" />
        <flash-call-verify site-key="${options.siteKey}" challenge="${options.challenge}" name="phone_token" required></flash-call-verify>
        <button class="submit" type="submit">Confirm payment</button>
        <p class="fine">We confirm payments with a call to the phone number on your account.</p>
      </form>`
    : html`<div class="result failure" data-testid="result" data-result="no-challenge">
        <h2 class="result-title">The confirmation could not be prepared</h2>
        <p class="muted">The bank's backend was refused a challenge; its answer is beside this page.</p>
        <a class="button" href="/pay">Try again</a>
      </div>`;

  const body = html`<section class="hero" aria-labelledby="hero-title">
      <h1 id="hero-title">Confirm a payment with the phone on file.</h1>
      <p class="lede">
        A second mode for numbers the site already holds: its backend names the number and the action in a challenge, the page shows the
        number masked, and siteverify hands back the action and context the token confirms.
      </p>
    </section>

    <section class="stage" aria-label="Live demo">
      <div class="stage-site">
        <p class="eyebrow"><span class="eyebrow-dot"></span>The bank's confirmation page</p>
        ${browserFrame('lakeside.example/payments/confirm', form)}
        <div class="backend-card created">
          <p class="backend-step">
            <span class="method">POST</span> <code>/v1/challenges</code> <span class="muted">from the bank's backend, before the page</span>
          </p>
          <pre class="json" tabindex="0"><code>${highlight(JSON.stringify(created.request, null, 2), 'json')}</code></pre>
          <p class="backend-step"><span class="method">${created.status}</span></p>
          <pre
            class="json"
            data-testid="challenge-answer"
            tabindex="0"
          ><code>${highlight(JSON.stringify(created.answer, null, 2), 'json')}</code></pre>
        </div>
      </div>
      <div class="stage-phone">
        <p class="eyebrow"><span class="eyebrow-dot phone-dot"></span>Sandbox phone</p>
        ${sandboxPhone(options.callerIds, options.voiceCallerIds)}
        <p class="phone-caption">
          The customer's handset, <span class="nowrap">${options.phoneMasked ?? 'the number on file'}</span>: the call rings here.
        </p>
      </div>
    </section>`;

  return layout({
    title: 'Confirm a payment · flash-call-verify demo',
    body,
    topbarExtra: html`<div id="sandbox-heads-up"></div>`,
    scripts: [`${options.origin}/widget.js`, '/demo/phone.js', '/demo/page.js'],
  });
}

export interface PaymentResultOptions {
  payment: Payment;
  /** The number the bank holds for this customer, E.164. */
  phoneOnFile: string;
  request: { url: string; secret: string; token: string };
  answer: Record<string, unknown>;
}

/**
 * What the bank's backend decides: a token is enough only if siteverify says it confirms this action, for
 * this payment, on this customer's number.
 */
export function paymentChecks(options: PaymentResultOptions): Array<{ name: string; expected: string; ok: boolean }> {
  const { answer, payment } = options;
  return [
    { name: 'success', expected: 'true', ok: answer.success === true },
    { name: 'action', expected: '"payment"', ok: answer.action === 'payment' },
    { name: 'context', expected: JSON.stringify(payment.id), ok: answer.context === payment.id },
    { name: 'phone', expected: 'the number on file', ok: answer.phone === options.phoneOnFile },
  ];
}

export function renderPaymentResultPage(options: PaymentResultOptions): Html {
  const { payment, answer } = options;
  const checks = paymentChecks(options);
  const confirmed = checks.every((check) => check.ok);
  const token = options.request.token;
  const requestBody = JSON.stringify(
    { secret: options.request.secret, token: token.length > 16 ? `${token.slice(0, 10)}…${token.slice(-4)}` : token },
    null,
    2,
  );
  const card = confirmed
    ? html`<div class="result success" data-testid="result" data-result="confirmed">
        <h1 class="result-title">Payment sent</h1>
        <p class="muted">${payment.amount} to ${payment.payee}</p>
        <p class="verified-number">
          <span class="number">${formatPhone(options.phoneOnFile)}</span>
          <span class="badge-verified">confirmed</span>
        </p>
        <a class="button" href="/pay">Confirm another payment</a>
      </div>`
    : html`<div class="result failure" data-testid="result" data-result="refused">
        <h1 class="result-title">Payment not confirmed</h1>
        <p class="muted">The token does not confirm this payment on the number on file, so the bank does not send it.</p>
        <a class="button" href="/pay">Back to the payment</a>
      </div>`;

  const body = html`<section class="stage result-stage" aria-label="Result">
    <div class="stage-site">
      <p class="eyebrow"><span class="eyebrow-dot"></span>The bank, after the form is sent</p>
      ${browserFrame('lakeside.example/payments/done', card)}
    </div>
    <div class="stage-backend">
      <p class="eyebrow"><span class="eyebrow-dot backend-dot"></span>What the bank's backend did</p>
      <div class="backend-card">
        <p class="backend-step"><span class="method">POST</span> <code>${options.request.url}</code></p>
        <pre class="json" tabindex="0"><code>${highlight(requestBody, 'json')}</code></pre>
        <p class="backend-step"><span class="method">200</span></p>
        <pre
          class="json"
          data-testid="siteverify-answer"
          tabindex="0"
        ><code>${highlight(JSON.stringify(answer, null, 2), 'json')}</code></pre>
        <p class="backend-step">Before sending the money, it checks:</p>
        <ul class="checks" data-testid="checks">
          ${checks.map(
            (check) =>
              html`<li class="${check.ok ? 'ok' : 'bad'}">
                <span class="outcome ${check.ok ? 'ok' : 'bad'}">${check.ok ? 'yes' : 'no'}</span>
                <code>${check.name}</code> is ${check.expected}
              </li>`,
          )}
        </ul>
      </div>
    </div>
  </section>`;

  return layout({ title: confirmed ? 'Payment sent · flash-call-verify demo' : 'Not confirmed · flash-call-verify demo', body });
}
