import { executeServerCommand } from '@web/test-runner-commands';
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
  waitUntil,
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
    const verified = oneEvent<FcvVerifiedEvent>(el, 'fcv-verified');
    await typeCode(el, code);
    const event = await verified;
    expect(event.detail.phone).to.equal(UK_MOBILE.e164);
    expect(event.detail.token).to.be.a('string').and.not.empty;
    await waitForState(el, 'verified');
    expect(el.value).to.equal(event.detail.token);
    expect(message(el)).to.contain(UK_MOBILE.international);
    await expect(el).to.be.accessible();
  });

  it('says the call was answered, and the code read aloud verifies', async () => {
    const el = await mount(html`<flash-call-verify site-key="pk_sandbox" endpoint=${url} default-country="GB"></flash-call-verify>`);
    await typeNumber(el, UK_MOBILE.digits);
    const { call } = await startVerification(el, url, UK_MOBILE.e164);
    await waitUntil(() => /ringing/.test(message(el)), 'the phone rings', { timeout: 8000 });
    const { spoken } = await executeServerCommand<{ spoken: string }, unknown>('sandbox:answer', { url, sid: call.sid });
    await waitUntil(() => /answered/i.test(message(el)), `message: ${message(el)}`, { timeout: 8000 });
    expect(message(el)).to.not.contain('No need to answer');
    await expect(el).to.be.accessible();
    const digits = spoken.replace(/\D/g, '').slice(0, 4);
    await typeCode(el, digits);
    await waitForState(el, 'verified');
  });

  it('groups a caller-ID prefix from another calling code once its metadata is in', async () => {
    const other = await startSandbox({ FCV_CALLER_IDS: '+1201200XXXX' });
    try {
      const el = await mount(html`<flash-call-verify site-key="pk_sandbox" endpoint=${other} default-country="GB"></flash-call-verify>`);
      await typeNumber(el, UK_MOBILE.digits);
      await startVerification(el, other, UK_MOBILE.e164);
      await waitUntil(() => $(el, '[part~="prefix"]')!.textContent === '+1 201 200', `prefix: ${$(el, '[part~="prefix"]')!.textContent}`);
      expect(message(el)).to.contain(UK_MOBILE.international);
    } finally {
      await stopSandbox(other);
    }
  });
});
