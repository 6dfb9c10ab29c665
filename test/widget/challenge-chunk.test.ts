import { expect, fixtureSync, html } from '@open-wc/testing';
import type { FlashCallVerify } from '../../widget/flash-call-verify.js';
import { $, createChallenge, holdChunk, releaseChunk, startSandbox, stopSandbox, waitUntil } from './helpers.js';

/** Where the browser tests serve challenge mode's view, a chunk of its own in the build. */
const CHALLENGE_VIEW = '/widget/challenge/challenge-view.ts';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// First in its file: the page must not have fetched challenge mode's view before the test fails it.
describe('challenge mode fetched only with a challenge', () => {
  let url: string;
  beforeEach(async () => {
    url = await startSandbox();
  });
  afterEach(async () => {
    await releaseChunk(CHALLENGE_VIEW);
    await stopSandbox(url);
  });

  it('says the service is out of reach, with no number field, when its view cannot be fetched', async () => {
    const challenge = await createChallenge(url, '+447400123456');
    await holdChunk(CHALLENGE_VIEW, 'fail');
    const el = fixtureSync<FlashCallVerify>(
      html`<flash-call-verify site-key="pk_sandbox" endpoint=${url} challenge=${challenge}></flash-call-verify>`,
    );
    await waitUntil(() => !!$(el, '[part~="field-error"]'), 'no error shown');
    expect($(el, '[part~="field-error"]')!.textContent).to.contain('Can’t reach the verification service');
    expect($(el, 'input[type="tel"]')).to.equal(null);
    expect($(el, '[part~="verify-button"]')).to.equal(null);
  });

  it('shows no number form while its view is on its way, then the number the site named', async () => {
    const challenge = await createChallenge(url, '+447400123456');
    await holdChunk(CHALLENGE_VIEW);
    const el = fixtureSync<FlashCallVerify>(
      html`<flash-call-verify site-key="pk_sandbox" endpoint=${url} challenge=${challenge}></flash-call-verify>`,
    );
    await pause(300);
    expect($(el, 'input[type="tel"]'), 'a number field flashed before the challenge').to.equal(null);
    expect($(el, '[part~="base"]')).to.equal(null);
    await releaseChunk(CHALLENGE_VIEW);
    await waitUntil(() => !!$(el, '[part~="challenge-number"]'), 'the challenge never showed');
    expect($(el, '[part~="challenge-number"]')!.textContent).to.contain('••');
    expect($(el, '[part~="verify-button"]')!.textContent.trim()).to.equal('Call my phone');
    expect($(el, 'input[type="tel"]')).to.equal(null);
  });
});
