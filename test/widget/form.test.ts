import { expect, fixture, html } from '@open-wc/testing';
import type { FlashCallVerify } from '../../widget/flash-call-verify.js';
import {
  $,
  UK_MOBILE,
  callTo,
  digitInputs,
  message,
  phoneInput,
  startSandbox,
  startVerification,
  stopSandbox,
  typeCode,
  typeNumber,
  waitForState,
  waitUntil,
} from './helpers.js';

describe('flash-call-verify in a form', () => {
  let url: string;
  beforeEach(async () => {
    url = await startSandbox();
  });
  afterEach(async () => {
    await stopSandbox(url);
  });

  async function formWith(attrs: { lang?: string } = {}) {
    const form = await fixture<HTMLFormElement>(
      html`<form lang=${attrs.lang ?? 'en'}>
        <flash-call-verify site-key="pk_sandbox" endpoint=${url} default-country="GB" name="phone_token" required></flash-call-verify>
        <button>Sign up</button>
      </form>`,
    );
    const el = form.querySelector('flash-call-verify') as FlashCallVerify;
    await el.phoneReady;
    await el.updateComplete;
    return { form, el };
  }

  it('blocks submission until verified, then submits the token under its name', async () => {
    const { form, el } = await formWith();
    let submitted: FormData | undefined;
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      submitted = new FormData(form);
    });
    expect(el.validity.valueMissing).to.equal(true);
    expect(el.validationMessage).to.equal('Verify your phone number to continue.');
    form.requestSubmit();
    expect(submitted).to.equal(undefined);

    await typeNumber(el, UK_MOBILE.digits);
    const { code } = await startVerification(el, url, UK_MOBILE.e164);
    form.requestSubmit();
    expect(submitted).to.equal(undefined);
    await typeCode(el, code);
    await waitForState(el, 'verified');
    expect(el.checkValidity()).to.equal(true);
    form.requestSubmit();
    expect(el.value).to.match(/\S{16,}/);
    expect(submitted?.get('phone_token')).to.equal(el.value);
  });

  it('localizes the validation message', async () => {
    const { el } = await formWith({ lang: 'es' });
    expect(el.validationMessage).to.equal('Verifica tu número de teléfono para continuar.');
  });

  it('empties itself when the form is reset', async () => {
    const { form, el } = await formWith();
    await typeNumber(el, UK_MOBILE.digits);
    const { code } = await startVerification(el, url, UK_MOBILE.e164);
    await typeCode(el, code);
    await waitForState(el, 'verified');
    form.reset();
    await waitForState(el, 'idle');
    expect(el.value).to.equal('');
    expect(new FormData(form).get('phone_token')).to.equal(null);
    expect(el.validity.valueMissing).to.equal(true);
    expect(phoneInput(el).value).to.equal('');
  });

  it('honours disabled, on itself and from a disabled fieldset', async () => {
    const form = await fixture<HTMLFormElement>(
      html`<form>
        <fieldset disabled>
          <flash-call-verify site-key="pk_sandbox" endpoint=${url} name="t" required></flash-call-verify>
        </fieldset>
      </form>`,
    );
    const el = form.querySelector('flash-call-verify') as FlashCallVerify;
    await el.updateComplete;
    expect(phoneInput(el).disabled).to.equal(true);
    expect(($(el, '[part~="verify-button"]') as HTMLButtonElement).disabled).to.equal(true);
    // Disabled controls are not validated, so they do not block the form.
    expect(form.checkValidity()).to.equal(true);
    form.querySelector('fieldset')!.disabled = false;
    await el.updateComplete;
    expect(phoneInput(el).disabled).to.equal(false);
    el.disabled = true;
    await el.updateComplete;
    expect(phoneInput(el).disabled).to.equal(true);
    expect(el.matches(':state(disabled)')).to.equal(true);
  });

  it('exposes its state for styling and stays accessible while a request is in flight', async () => {
    const { el } = await formWith();
    expect(el.matches(':state(idle)')).to.equal(true);
    const realFetch = window.fetch;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // Holds the next request back so the in-between states can be looked at.
    window.fetch = async (...args: Parameters<typeof fetch>) => {
      await held;
      return realFetch(...args);
    };
    try {
      await typeNumber(el, UK_MOBILE.digits);
      ($(el, '[part~="verify-button"]') as HTMLButtonElement).click();
      await waitForState(el, 'starting');
      expect(el.matches(':state(starting)')).to.equal(true);
      expect(message(el)).to.equal('Placing the call…');
      await expect(el).to.be.accessible();
      release();
      await waitUntil(() => el.state === 'calling' || el.state === 'ringing');
    } finally {
      window.fetch = realFetch;
    }
    const calls = await callTo(url, UK_MOBILE.e164);
    let releaseCheck!: () => void;
    const heldCheck = new Promise<void>((resolve) => (releaseCheck = resolve));
    window.fetch = async (...args: Parameters<typeof fetch>) => {
      await heldCheck;
      return realFetch(...args);
    };
    try {
      await typeCode(el, calls.from.slice(-4));
      await waitForState(el, 'checking');
      expect(el.matches(':state(checking)')).to.equal(true);
      expect(message(el)).to.equal('Checking the code…');
      expect(digitInputs(el).every((input) => input.readOnly)).to.equal(true);
      await expect(el).to.be.accessible();
      releaseCheck();
      await waitForState(el, 'verified');
      expect(el.matches(':state(verified)')).to.equal(true);
    } finally {
      window.fetch = realFetch;
    }
  });
});
