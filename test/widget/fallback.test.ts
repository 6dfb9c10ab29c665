import { expect, html } from '@open-wc/testing';
import type { FlashCallVerify } from '../../widget/flash-call-verify.js';
import {
  $,
  $$,
  UK_MOBILE,
  answerCall,
  callTo,
  digitInputs,
  message,
  mount,
  press,
  sandboxCalls,
  startSandbox,
  startVerification,
  stopSandbox,
  textCode,
  textTo,
  typeCode,
  typeNumber,
  waitForState,
  waitUntil,
} from './helpers.js';

/** The other ways to get the code, offered after a flash call, against a real sandbox. */
describe('flash-call-verify fallback channels', () => {
  let url: string;
  let el: FlashCallVerify;
  const setup = async (env: Record<string, string> = {}, lang = 'en', channel = '') => {
    url = await startSandbox({ FCV_RESEND_SECONDS: '0', ...env });
    el = await mount(
      html`<flash-call-verify
        site-key="pk_sandbox"
        endpoint=${url}
        default-country="GB"
        lang=${lang}
        channel=${channel || 'flash'}
      ></flash-call-verify>`,
    );
    await typeNumber(el, UK_MOBILE.digits);
  };
  afterEach(async () => {
    el?.remove();
    if (url) await stopSandbox(url);
  });

  const offer = () => $(el, '[part~="fallback-offer"]') as HTMLButtonElement;
  const group = () => $(el, '[part~="fallbacks"]') as HTMLElement;
  const options = () => $$(el, '[part~="fallbacks"] button').map((b) => b.textContent.trim());

  it('offers the other channels when asked, and a text brings six boxes, no caller ID digits, and verifies', async () => {
    await setup();
    await startVerification(el, url, UK_MOBILE.e164);
    expect($(el, '[part~="prefix"]'), 'a flash call shows the caller ID digits').to.exist;
    expect(offer().textContent.trim()).to.equal('Didn’t get the call?');
    expect(offer().getAttribute('aria-expanded')).to.equal('false');
    expect(group().hidden).to.equal(true);

    offer().click();
    await el.updateComplete;
    expect(offer().getAttribute('aria-expanded')).to.equal('true');
    expect(group().hidden).to.equal(false);
    expect(group().getAttribute('role')).to.equal('group');
    expect(options()).to.deep.equal(['Call me and read the code', 'Text me the code']);
    await expect(el).to.be.accessible();

    ($(el, '[part~="fallback-sms"]') as HTMLButtonElement).click();
    await waitUntil(() => message(el).startsWith('We texted a code'), message(el));
    expect(message(el)).to.equal(`We texted a code to ${UK_MOBILE.international}.`);
    expect(digitInputs(el)).to.have.length(6);
    expect(digitInputs(el).every((input) => input.value === '')).to.equal(true);
    expect($(el, '[part~="prefix"]'), 'no caller ID digits for a text').to.equal(null);
    expect($(el, '#code-hint')!.textContent).to.equal('Type the 6 digits from the text.');
    expect(offer().textContent.trim()).to.equal('Didn’t get the text?');
    expect(offer().getAttribute('aria-expanded'), 'a new code closes the offer').to.equal('false');

    const text = await textTo(url, UK_MOBILE.e164);
    await typeCode(el, textCode(text));
    await waitForState(el, 'verified');
  });

  it('opens the offer by itself once the call rang out; a voice call says the code, which verifies', async () => {
    await setup({ FCV_RING_SECONDS: '3' });
    const { call } = await startVerification(el, url, UK_MOBILE.e164);
    await waitUntil(() => message(el).startsWith('We called'), message(el), { timeout: 10_000 });
    expect(offer().getAttribute('aria-expanded')).to.equal('true');
    expect(group().hidden).to.equal(false);

    // Keyboard: the options follow the disclosure in tab order.
    offer().focus();
    await press('Tab');
    await press('Tab');
    expect(el.shadowRoot!.activeElement?.textContent?.trim()).to.equal('Call me and read the code');
    await press('Enter');
    await waitUntil(() => el.state === 'calling' || el.state === 'ringing', el.state);
    await waitUntil(() => digitInputs(el).length === 6, 'six boxes');
    expect(message(el)).to.match(/^(We’re calling .* to read you the code…|Your phone is ringing: .*\. Answer to hear the code\.)$/);

    let voice: { sid: string; status: string } | undefined;
    await waitUntil(async () => {
      voice = (await sandboxCalls(url)).find((c) => c.sid !== call.sid && c.to === UK_MOBILE.e164 && c.status === 'ringing');
      return !!voice;
    }, 'the voice call rings');
    const spoken = await answerCall(url, voice!.sid);
    const digits = (/code is ([\d, ]+)\./.exec(spoken)?.[1] ?? '').replace(/\D/g, '');
    expect(digits).to.have.length(6);
    expect(spoken.split('Your code is').length - 1, 'said twice').to.equal(2);
    await typeCode(el, digits);
    await waitForState(el, 'verified');
  });

  it('offers only the channels the server lists for the site, in its order', async () => {
    const sites = [
      { siteKey: 'pk_sandbox', secret: 'sk_sandbox', origins: ['http://localhost:*', 'http://127.0.0.1:*'], channels: ['flash', 'sms'] },
    ];
    await setup({ FCV_MODE: 'sandbox', FCV_SITES: JSON.stringify(sites) });
    await startVerification(el, url, UK_MOBILE.e164);
    offer().click();
    await el.updateComplete;
    expect(options()).to.deep.equal(['Text me the code']);
  });

  it('a site with flash calls only offers no other way', async () => {
    const sites = [
      { siteKey: 'pk_sandbox', secret: 'sk_sandbox', origins: ['http://localhost:*', 'http://127.0.0.1:*'], channels: ['flash'] },
    ];
    await setup({ FCV_MODE: 'sandbox', FCV_SITES: JSON.stringify(sites) });
    await startVerification(el, url, UK_MOBILE.e164);
    expect(offer()).to.equal(null);
    expect($(el, '[part~="resend-button"]')).to.exist;
  });

  it('during the cooldown the other ways show, disabled, under the countdown', async () => {
    await setup({ FCV_RESEND_SECONDS: '30' });
    await startVerification(el, url, UK_MOBILE.e164);
    offer().click();
    await el.updateComplete;
    expect($(el, '[part~="actions"]')!.textContent).to.match(/Ask again in 0:[23]\d/);
    const buttons = $$(el, '[part~="fallbacks"] button') as HTMLButtonElement[];
    expect(buttons.map((b) => b.disabled)).to.deep.equal([true, true]);
  });

  it('in Arabic, right to left', async () => {
    await setup({}, 'ar');
    await startVerification(el, url, UK_MOBILE.e164);
    expect(offer().textContent.trim()).to.equal('لم تصلك المكالمة؟');
    offer().click();
    await el.updateComplete;
    expect(options()).to.include('أرسل لي الرمز برسالة نصية');
    expect(getComputedStyle(group()).direction).to.equal('rtl');
    await expect(el).to.be.accessible();
  });

  it('a text as the first channel (the channel attribute)', async () => {
    await setup({}, 'es', 'sms');
    ($(el, '[part~="verify-button"]') as HTMLButtonElement).click();
    await waitUntil(() => message(el).startsWith('Te hemos enviado'), message(el));
    const text = await textTo(url, UK_MOBILE.e164);
    expect(text.body).to.match(/^Tu código/);
    expect(text.body.split('\n').at(-1)).to.match(/^@(localhost|127\.0\.0\.1) #\d{6}$/);
    expect((await sandboxCalls(url)).filter((c) => c.to === UK_MOBILE.e164)).to.have.length(0);
    await typeCode(el, textCode(text));
    await waitForState(el, 'verified');
  });
});

/** WebOTP, with the browser's API stubbed in the page: the code is read from the text and checked without typing. */
describe('flash-call-verify and WebOTP', () => {
  let url: string;
  let el: FlashCallVerify;
  const realGet = navigator.credentials.get.bind(navigator.credentials);
  let asked: Array<{ options: CredentialRequestOptions; resolve: (value: object) => void; reject: (error: unknown) => void }>;

  beforeEach(async () => {
    asked = [];
    (window as unknown as { OTPCredential?: unknown }).OTPCredential = function OTPCredential() {};
    navigator.credentials.get = (options?: CredentialRequestOptions) =>
      new Promise((resolve, reject) => {
        asked.push({ options: options!, resolve: (value) => resolve(value as Credential), reject });
        options?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    url = await startSandbox({ FCV_RESEND_SECONDS: '0' });
    el = await mount(
      html`<flash-call-verify site-key="pk_sandbox" endpoint=${url} default-country="GB" lang="en" channel="sms"></flash-call-verify>`,
    );
    await typeNumber(el, UK_MOBILE.digits);
  });
  afterEach(async () => {
    el?.remove();
    delete (window as unknown as { OTPCredential?: unknown }).OTPCredential;
    navigator.credentials.get = realGet;
    if (url) await stopSandbox(url);
  });

  const sendText = async () => {
    ($(el, '[part~="verify-button"]') as HTMLButtonElement).click();
    await waitUntil(() => asked.length === 1, 'the element asks the browser for the texted code');
    return textTo(url, UK_MOBILE.e164);
  };

  it('asks for an SMS code and checks the one the browser gives, without typing', async () => {
    const text = await sendText();
    const otp = (asked[0]!.options as { otp?: { transport?: string[] } }).otp;
    expect(otp?.transport).to.deep.equal(['sms']);
    expect(asked[0]!.options.signal).to.be.instanceOf(AbortSignal);
    asked[0]!.resolve({ type: 'otp', id: '', code: textCode(text) });
    await waitForState(el, 'verified');
  });

  it('gives up asking when the flow moves on, or the element leaves the page', async () => {
    await sendText();
    const first = asked[0]!.options.signal!;
    expect(first.aborted).to.equal(false);
    ($(el, '[part~="change-number"]') as HTMLButtonElement).click();
    await waitForState(el, 'idle');
    expect(first.aborted, 'aborted on Change number').to.equal(true);

    ($(el, '[part~="verify-button"]') as HTMLButtonElement).click();
    await waitUntil(() => asked.length === 2, 'asked again for the new text');
    const second = asked[1]!.options.signal!;
    el.remove();
    expect(second.aborted, 'aborted when disconnected').to.equal(true);
  });

  it('typing still works when the browser gives nothing', async () => {
    const text = await sendText();
    asked[0]!.reject(new DOMException('no', 'NotAllowedError'));
    await typeCode(el, textCode(text));
    await waitForState(el, 'verified');
  });

  it('does not ask for a flash call', async () => {
    el.setAttribute('channel', 'flash');
    await startVerification(el, url, UK_MOBILE.e164);
    await callTo(url, UK_MOBILE.e164);
    expect(asked).to.have.length(0);
  });
});
