import { expect, html, oneEvent } from '@open-wc/testing';
import type { FcvVerifiedEvent } from '../../widget/events.js';
import {
  $,
  UK_MOBILE,
  digitInputs,
  message,
  mount,
  startSandbox,
  startVerification,
  stopSandbox,
  typeCode,
  typeNumber,
  waitForState,
} from './helpers.js';

describe('flash-call-verify: happy path against the sandbox', () => {
  let url: string;
  beforeEach(async () => {
    url = await startSandbox();
  });
  afterEach(async () => {
    await stopSandbox(url);
  });

  it('calls the number, shows the caller-ID prefix and verifies the typed code', async () => {
    const el = await mount(html`<flash-call-verify site-key="pk_sandbox" endpoint=${url} default-country="GB"></flash-call-verify>`);
    await expect(el).to.be.accessible();
    await typeNumber(el, UK_MOBILE.digits);
    const { code } = await startVerification(el, url, UK_MOBILE.e164);
    expect(message(el)).to.contain(UK_MOBILE.international);
    expect($(el, '[part~="prefix"]')!.textContent).to.contain('+44 7418');
    expect(digitInputs(el)).to.have.length(4);
    await expect(el).to.be.accessible();
    const verified = oneEvent(el, 'fcv-verified') as Promise<FcvVerifiedEvent>;
    await typeCode(el, code);
    const event = await verified;
    expect(event.detail.phone).to.equal(UK_MOBILE.e164);
    expect(event.detail.token).to.be.a('string').and.not.empty;
    await waitForState(el, 'verified');
    expect(el.value).to.equal(event.detail.token);
    expect(message(el)).to.contain(UK_MOBILE.international);
    await expect(el).to.be.accessible();
  });
});
