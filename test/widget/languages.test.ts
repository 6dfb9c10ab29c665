import { executeServerCommand, setViewport } from '@web/test-runner-commands';
import { expect, html } from '@open-wc/testing';
import type { FlashCallVerify } from '../../widget/flash-call-verify.js';
import { format, plural, type Messages } from '../../widget/i18n/index.js';
import { LANGUAGES, loadMessages } from '../../widget/i18n/load.js';
import {
  $,
  $$,
  UK_MOBILE,
  advanceServerClock,
  callTo,
  digitInputs,
  message,
  mount,
  phoneInput,
  startSandbox,
  startVerification,
  stopSandbox,
  typeCode,
  typeNumber,
  waitForState,
  waitUntil,
  wrongOf,
} from './helpers.js';

/** Text as the helpers read it: whitespace (a no-break space too) collapsed. */
const norm = (text: string) => text.replace(/\s+/g, ' ').trim();

/** A template as a pattern, each placeholder standing for whatever the element put there. */
const pattern = (template: string) =>
  new RegExp(
    norm(template)
      .split(/\{\w+\}/)
      .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
      .join('.+'),
  );

/** Boxes that stick out of the control, or text cut off inside its box, at the width the page gives it. */
function overflowing(el: FlashCallVerify): string[] {
  const base = $(el, '.base')!.getBoundingClientRect();
  const found: string[] = [];
  if (base.right > document.documentElement.clientWidth + 1) found.push(`the control (${base.right} px wide)`);
  for (const node of $$(el, '*')) {
    const box = node.getBoundingClientRect();
    // Skips what is not drawn, and text kept for screen readers only (a box of 1 px).
    if (box.width <= 1 || box.height <= 1 || node.closest('[hidden]')) continue;
    const name = `${node.localName}.${node.className || node.getAttribute('part') || ''} "${norm(node.textContent ?? '').slice(0, 40)}"`;
    if (box.left < base.left - 1 || box.right > base.right + 1) found.push(`${name} sticks out`);
    const ownText = [...node.childNodes].some((child) => child.nodeType === Node.TEXT_NODE && child.textContent?.trim());
    if (ownText && node.scrollWidth > node.clientWidth + 1) found.push(`${name} is cut off`);
  }
  return found;
}

describe('every language in every state', () => {
  let url: string;
  let el: FlashCallVerify;
  const tables = new Map<string, Messages>();

  const realFetch = window.fetch;
  beforeEach(async () => {
    for (const language of LANGUAGES) tables.set(language, await loadMessages(language));
    await setViewport({ width: 320, height: 900 });
    // Long enough for every countdown to stay on screen while the languages go by.
    url = await startSandbox({ FCV_RESEND_SECONDS: '600' });
    el = await mount(html`<flash-call-verify site-key="pk_sandbox" endpoint=${url} default-country="GB"></flash-call-verify>`);
  });
  afterEach(async () => {
    window.fetch = realFetch;
    await setViewport({ width: 800, height: 600 });
    el?.remove();
    await stopSandbox(url);
  });

  /**
   * Switches the control through every language where it stands: each must show its own words (`expect` says
   * which), read in its direction, fit a 320 px screen and pass axe.
   */
  async function inEveryLanguage(state: string, shows: (m: Messages, language: string) => void): Promise<void> {
    for (const language of LANGUAGES) {
      el.setAttribute('lang', language);
      await waitUntil(() => $(el, '.base')?.getAttribute('lang') === language, `${language} never showed`);
      await el.updateComplete;
      const m = tables.get(language)!;
      expect(el.state, `${language}: the state moved on`).to.equal(state);
      expect($(el, '.base')!.getAttribute('dir'), language).to.equal(m.dir);
      expect($(el, '.base')!.getAttribute('aria-label'), language).to.equal(m.label);
      shows(m, language);
      expect(overflowing(el), `${language} in ${state}`).to.deep.equal([]);
      // A disabled control is dimmed as a whole; WCAG asks no contrast of an inactive component.
      await expect(el, `${language} in ${state}`).to.be.accessible(el.disabled ? { ignoredRules: ['color-contrast'] } : {});
    }
    el.removeAttribute('lang');
  }

  const verifyButton = () => norm($(el, '[part~="verify-button"]')!.textContent ?? '');
  const actions = () => norm($(el, '[part~="actions"]')?.textContent ?? '');
  const retryButton = () => norm($(el, '[part~="retry-button"]')?.textContent ?? '');

  /** Holds back the requests whose URL ends with `path` until the returned function is called. */
  function hold(path: string): () => void {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    window.fetch = async (...args: Parameters<typeof fetch>) => {
      if (String(args[0] instanceof Request ? args[0].url : args[0]).endsWith(path)) await held;
      return realFetch(...args);
    };
    return () => {
      window.fetch = realFetch;
      release();
    };
  }

  it('idle, empty and with a number it cannot take, and disabled', async () => {
    await inEveryLanguage('idle', (m, language) => {
      expect(verifyButton(), language).to.equal(norm(m.verify));
      expect(norm($(el, '.how')!.textContent ?? ''), language).to.equal(norm(m.how));
      expect(norm($(el, 'label[for="phone"]')!.textContent ?? ''), language).to.equal(norm(m.phoneLabel));
    });
    await typeNumber(el, '0740');
    ($(el, '[part~="verify-button"]') as HTMLButtonElement).click();
    await waitUntil(() => $(el, '[part~="field-error"]'), 'no field error');
    await inEveryLanguage('idle', (m, language) => {
      const shown = norm($(el, '[part~="field-error"]')!.textContent ?? '');
      const anchored = (template: string) => new RegExp(`^${pattern(template).source}$`);
      expect(
        [m.phoneTooShort, m.phoneInvalid].some((template) => anchored(template).test(shown)),
        `${language}: ${shown}`,
      ).to.equal(true);
    });
    el.disabled = true;
    await el.updateComplete;
    await inEveryLanguage('idle', (m, language) => {
      expect(verifyButton(), language).to.equal(norm(m.verify));
    });
  }).timeout(120_000);

  it('starting, ringing with a countdown, answered, a wrong code, checking', async () => {
    await typeNumber(el, UK_MOBILE.digits);
    let release = hold('/v1/verifications');
    ($(el, '[part~="verify-button"]') as HTMLButtonElement).click();
    await waitForState(el, 'starting');
    await inEveryLanguage('starting', (m, language) => {
      expect(message(el), language).to.equal(norm(m.starting));
    });
    release();
    const call = await callTo(url, UK_MOBILE.e164);
    const code = call.from.slice(-4);
    await waitForState(el, 'ringing');
    await waitUntil(() => message(el) === norm(format(tables.get('en')!.ringing, { phone: UK_MOBILE.international })), message(el));
    await inEveryLanguage('ringing', (m, language) => {
      expect(message(el), language).to.equal(norm(format(m.ringing, { phone: UK_MOBILE.international })));
      expect(norm($(el, '#code-hint')!.textContent ?? ''), language).to.equal(norm(plural(language, m.codeHint, 4)));
      expect(actions(), language).to.match(pattern(m.resendIn)).and.contain(norm(m.changeNumber));
      expect(digitInputs(el)[1]!.getAttribute('aria-label'), language).to.equal(format(m.digit, { i: 2, n: 4 }, language));
    });
    await executeServerCommand('sandbox:answer', { url, sid: call.sid });
    await waitUntil(() => message(el).startsWith('Answered'), message(el));
    // The answered call ends after a few seconds of talk, while the languages go by.
    await inEveryLanguage('ringing', (m, language) => {
      expect(message(el), language).to.be.oneOf(
        [m.answered, m.callEnded].map((template) => norm(format(template, { phone: UK_MOBILE.international }))),
      );
    });
    await typeCode(el, wrongOf(code));
    await waitUntil(() => el.state === 'ringing' && message(el).includes('2 attempts left'), message(el));
    await inEveryLanguage('ringing', (m, language) => {
      expect(message(el), language).to.equal(norm(plural(language, m.wrongCode, 2)));
    });
    release = hold('/check');
    await typeCode(el, code);
    await waitForState(el, 'checking');
    await inEveryLanguage('checking', (m, language) => {
      expect(message(el), language).to.equal(norm(m.checking));
    });
    release();
    await waitForState(el, 'verified');
    await inEveryLanguage('verified', (m, language) => {
      expect(message(el), language).to.equal(norm(format(m.verified, { phone: UK_MOBILE.international })));
      expect(actions(), language).to.equal(norm(m.changeNumber));
    });
  }).timeout(240_000);

  it('locked, expired, a number called a moment ago, a network failure', async () => {
    await typeNumber(el, UK_MOBILE.digits);
    const { code } = await startVerification(el, url, UK_MOBILE.e164);
    for (let i = 0; i < 3; i++) {
      await typeCode(el, wrongOf(code));
      await waitUntil(() => el.state === 'locked' || (el.state === 'ringing' && digitInputs(el)[0]?.value === ''), el.state);
    }
    await waitForState(el, 'locked');
    await inEveryLanguage('locked', (m, language) => {
      expect(message(el), language).to.equal(norm(m.locked));
      expect(actions(), language).to.match(pattern(m.callAgainIn));
    });
    ($(el, '[part~="change-number"]') as HTMLButtonElement).click();
    await waitForState(el, 'idle');
    ($(el, '[part~="verify-button"]') as HTMLButtonElement).click();
    await waitForState(el, 'error');
    await inEveryLanguage('error', (m, language) => {
      expect(message(el), language).to.equal(norm(m.justCalled));
      expect(retryButton(), language).to.match(pattern(m.callAgainIn));
    });

    phoneInput(el).select();
    await typeNumber(el, '07400123457');
    const second = await startVerification(el, url, '+447400123457');
    await advanceServerClock(url, 301_000);
    await typeCode(el, second.code);
    await waitForState(el, 'expired');
    await inEveryLanguage('expired', (m, language) => {
      expect(message(el), language).to.equal(norm(m.expired));
    });

    ($(el, '[part~="change-number"]') as HTMLButtonElement).click();
    await waitForState(el, 'idle');
    // A number not called yet, and the server out of reach.
    phoneInput(el).select();
    await typeNumber(el, '07400123458');
    window.fetch = () => Promise.reject(new TypeError('Failed to fetch'));
    ($(el, '[part~="verify-button"]') as HTMLButtonElement).click();
    await waitForState(el, 'error');
    await inEveryLanguage('error', (m, language) => {
      expect(message(el), language).to.equal(norm(m.errors.network));
      expect(retryButton(), language).to.equal(norm(m.tryAgain));
    });
  }).timeout(240_000);
});
