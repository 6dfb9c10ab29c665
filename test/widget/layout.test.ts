import { setViewport } from '@web/test-runner-commands';
import { expect, html } from '@open-wc/testing';
import type { FlashCallVerify } from '../../widget/flash-call-verify.js';
import {
  $,
  UK_MOBILE,
  mount,
  phoneInput,
  startSandbox,
  startVerification,
  stopSandbox,
  typeCode,
  typeNumber,
  waitForState,
  waitUntil,
} from './helpers.js';

/** What the page sees of the control: its height, and where the content under it starts. */
function measure(el: FlashCallVerify, below: HTMLElement) {
  return { height: el.getBoundingClientRect().height, below: below.getBoundingClientRect().top };
}

/** One line of the control's text, the most the page under it may move from state to state. */
function lineOf(el: FlashCallVerify): number {
  const style = getComputedStyle($(el, '[part~="message"]') ?? el);
  return parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.4;
}

/** The number the control shows for the call: in its field, or wherever it shows it read-only. */
function shownNumber(el: FlashCallVerify): string {
  return (phoneInput(el)?.value ?? '').replace(/\D/g, '');
}

describe('the control keeps its place on the page', () => {
  let url: string;
  beforeEach(async () => {
    url = await startSandbox();
  });
  afterEach(async () => {
    await stopSandbox(url);
    await setViewport({ width: 800, height: 600 });
  });

  for (const width of [375, 1280]) {
    it(`keeps its height from idle to ringing to verified, and the number in sight, at ${width} px`, async () => {
      await setViewport({ width, height: 900 });
      const root = await mount(
        html`<div>
          <flash-call-verify site-key="pk_sandbox" endpoint=${url} default-country="GB"></flash-call-verify>
          <p id="below">Sign up</p>
        </div>`,
      );
      const el = root;
      const below = el.parentElement!.querySelector<HTMLElement>('#below')!;
      const line = lineOf(el);
      await typeNumber(el, UK_MOBILE.digits);
      const idle = measure(el, below);

      const { code } = await startVerification(el, url, UK_MOBILE.e164);
      await waitForState(el, 'ringing');
      const ringing = measure(el, below);
      expect(shownNumber(el)).to.equal(UK_MOBILE.digits, 'the called number stays in sight while the phone rings');
      expect($(el, '[part~="change-number"]'), 'a way to change the number').to.exist;

      await typeCode(el, code);
      await waitForState(el, 'verified');
      await waitUntil(() => el.value, 'no token');
      const verified = measure(el, below);
      expect(shownNumber(el)).to.equal(UK_MOBILE.digits, 'the verified number stays in sight');
      expect($(el, '[part~="change-number"]'), 'a way to change the number').to.exist;

      const moves = { ringing: ringing.below - idle.below, verified: verified.below - idle.below };
      expect(
        Math.abs(moves.ringing),
        `the page under the control moved ${moves.ringing} px as the phone rang (line ${line} px)`,
      ).to.be.at.most(line);
      expect(
        Math.abs(moves.verified),
        `the page under the control moved ${moves.verified} px once verified (line ${line} px)`,
      ).to.be.at.most(line);
      expect(Math.abs(verified.height - ringing.height)).to.be.at.most(line);
    });
  }
});
