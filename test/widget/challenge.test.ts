import { expect, html, oneEvent } from '@open-wc/testing';
import type { FcvErrorEvent, FcvVerifiedEvent } from '../../widget/events.js';
import {
  $,
  $$,
  advanceServerClock,
  backendPost,
  callTo,
  createChallenge,
  digitInputs,
  message,
  mount,
  press,
  startSandbox,
  stopSandbox,
  type,
  waitForState,
  waitUntil,
} from './helpers.js';

const MASKED = '+44 •••• ••3456';
const PHONE = '+447400123456';

/** The line naming the number to be called, whitespace collapsed. */
function challengeLine(el: HTMLElement): string {
  return (el.shadowRoot!.querySelector('[part~="challenge-number"]')?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

describe('flash-call-verify with a challenge: a number the site already knows', () => {
  let url: string;
  beforeEach(async () => {
    url = await startSandbox();
  });
  afterEach(async () => {
    await stopSandbox(url);
  });

  it('shows no number field or picker, only the masked number and one button, and verifies it', async () => {
    const challenge = await createChallenge(url, PHONE, { context: 'pay_8f2c' });
    const el = await mount(html`<flash-call-verify site-key="pk_sandbox" endpoint=${url} challenge=${challenge}></flash-call-verify>`);
    expect(!!$(el, 'input[type="tel"]')).to.equal(false);
    expect(!!$(el, '[part~="country-button"]')).to.equal(false);
    expect(challengeLine(el)).to.contain(MASKED);
    expect(el.shadowRoot!.textContent).to.not.contain('123456');
    const button = $(el, '[part~="verify-button"]') as HTMLButtonElement;
    expect(button.textContent.trim()).to.equal('Call my phone');
    await expect(el).to.be.accessible();

    button.click();
    await waitUntil(() => el.state === 'calling' || el.state === 'ringing', `state ${el.state}`, { timeout: 8000 });
    const call = await callTo(url, PHONE);
    await el.updateComplete;
    expect(message(el)).to.contain(MASKED);
    expect(challengeLine(el)).to.contain(MASKED, 'the number stays in sight');
    expect(!!$(el, '[part~="change-number"]')).to.equal(false, 'there is no other number to change to');
    await expect(el).to.be.accessible();

    const verified = oneEvent<FcvVerifiedEvent>(el, 'fcv-verified');
    digitInputs(el)[0]!.focus();
    await type(call.from.slice(-digitInputs(el).length));
    const event = await verified;
    await waitForState(el, 'verified');
    expect(event.detail.phone).to.equal(MASKED, 'the page learns only the masked number');
    expect(message(el)).to.contain(MASKED);
    expect($$(el, '[part~="change-number"]')).to.have.length(0);
    await expect(el).to.be.accessible();

    const redeemed = await backendPost<Record<string, unknown>>(url, '/v1/siteverify', { secret: 'sk_sandbox', token: el.value });
    expect(redeemed.body).to.include({ success: true, phone: PHONE, action: 'payment', context: 'pay_8f2c' });
  });

  it('works from the keyboard alone: Tab to the button, Enter, then the code', async () => {
    const challenge = await createChallenge(url, PHONE);
    const el = await mount(html`<flash-call-verify site-key="pk_sandbox" endpoint=${url} challenge=${challenge}></flash-call-verify>`);
    await press('Tab');
    expect(el.shadowRoot!.activeElement).to.equal($(el, '[part~="verify-button"]'));
    await press('Enter');
    await waitUntil(() => el.state === 'calling' || el.state === 'ringing', `state ${el.state}`, { timeout: 8000 });
    const call = await callTo(url, PHONE);
    await waitUntil(() => el.shadowRoot!.activeElement === digitInputs(el)[0], 'focus moves to the first code box');
    await type(call.from.slice(-digitInputs(el).length));
    await waitForState(el, 'verified');
  });

  it('an expired challenge is said plainly, with no button that cannot work', async () => {
    const challenge = await createChallenge(url, PHONE);
    const el = await mount(html`<flash-call-verify site-key="pk_sandbox" endpoint=${url} challenge=${challenge}></flash-call-verify>`);
    await advanceServerClock(url, 10 * 60_000);
    const failed = oneEvent<FcvErrorEvent>(el, 'fcv-error');
    ($(el, '[part~="verify-button"]') as HTMLButtonElement).click();
    const error = await failed;
    expect(error.detail.code).to.equal('challenge_expired');
    expect(error.detail.retryable).to.equal(false);
    await waitForState(el, 'error');
    expect(message(el)).to.equal('This confirmation has expired. Go back and start again.');
    expect(!!$(el, '[part~="verify-button"]')).to.equal(false);
    expect(!!$(el, '[part~="retry-button"]')).to.equal(false);
    await expect(el).to.be.accessible();
  });

  it('a challenge it cannot read offers no call', async () => {
    const el = await mount(html`<flash-call-verify site-key="pk_sandbox" endpoint=${url} challenge="fcvc_garbage"></flash-call-verify>`);
    expect(!!$(el, '[part~="verify-button"]')).to.equal(false);
    expect($(el, '[part~="field-error"]')!.textContent).to.contain('isn’t valid');
    await expect(el).to.be.accessible();
  });

  it('speaks the page’s language, the number left to right in an Arabic page', async () => {
    const challenge = await createChallenge(url, PHONE);
    const el = await mount(
      html`<div lang="ar" dir="rtl">
        <flash-call-verify site-key="pk_sandbox" endpoint=${url} challenge=${challenge}></flash-call-verify>
      </div>`,
    );
    expect(($(el, '[part~="verify-button"]') as HTMLButtonElement).textContent.trim()).to.equal('اتصل بهاتفي');
    const number = $(el, '[part~="challenge-number"] bdi')!;
    expect(number.getAttribute('dir')).to.equal('ltr');
    expect(number.textContent).to.equal(MASKED);
    await expect(el).to.be.accessible();
  });
});
