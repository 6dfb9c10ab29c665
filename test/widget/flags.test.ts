import { expect, html } from '@open-wc/testing';
import { FLAG_FONT_FAMILY, drawsInColour } from '../../widget/picker/flags.js';
import type { FlashCallVerify } from '../../widget/flash-call-verify.js';
import { $, $$, buttonFlag, countryButtonText, holdChunk, mount, openPicker, phoneInput, releaseChunk, waitUntil } from './helpers.js';

/** Where the browser tests serve the country popup, a chunk of its own in the build. */
const COUNTRY_POPUP = '/widget/country-popup.ts';

const flagFaces = () => [...document.fonts].filter((face) => face.family.replace(/"/g, '') === FLAG_FONT_FAMILY);

// First in its file: the page must not have fetched the popup before the test holds it back.
describe('flags on a platform without flag emoji', () => {
  it('renders first without waiting, then draws the flags from a font declared once on the document', async () => {
    // This Chromium has no colour emoji font: flags would be boxes.
    expect(drawsInColour('\u{1F1E8}\u{1F1ED}')).to.equal(false);
    await holdChunk(COUNTRY_POPUP);
    let el: FlashCallVerify;
    let before: DOMRect;
    try {
      el = await mount(html`<flash-call-verify site-key="pk_sandbox" default-country="GB"></flash-call-verify>`);
      // The first render is up while the check is still to come: the dial code, and no flag the platform would draw as boxes.
      expect(countryButtonText(el)).to.equal('+44');
      expect(flagFaces()).to.have.length(0);
      before = phoneInput(el).getBoundingClientRect();
    } finally {
      await releaseChunk(COUNTRY_POPUP);
    }
    expect(await buttonFlag(el)).to.equal('🇬🇧');
    expect(flagFaces()).to.have.length(1);
    // The flag takes the place kept for it: the number field does not move.
    expect(phoneInput(el).getBoundingClientRect().toJSON()).to.deep.equal(before.toJSON());
    // A second element on the page declares nothing more.
    const other = await mount(html`<flash-call-verify site-key="pk_sandbox" default-country="ES"></flash-call-verify>`);
    await openPicker(other);
    expect(flagFaces()).to.have.length(1);
    const flag = $(other, '[part~="country-button"] .flag')!;
    expect(getComputedStyle(flag).fontFamily).to.match(new RegExp(`^"?${FLAG_FONT_FAMILY}"?,`));
    expect(getComputedStyle($$(other, '[role="option"] .flag')[0]!).fontFamily).to.match(new RegExp(`^"?${FLAG_FONT_FAMILY}"?,`));
    // Drawing the flags is what fetches the font; then they come out in colour.
    await waitUntil(() => flagFaces()[0]!.status === 'loaded', `the flag font is ${flagFaces()[0]!.status}`, { timeout: 4000 });
    expect(document.fonts.check(`16px "${FLAG_FONT_FAMILY}"`, '🇪🇸')).to.equal(true);
    for (const emoji of ['🇨🇭', '🇬🇧', '🇯🇵', '🇸🇦', '\u{1F3F4}\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}']) {
      expect(drawsInColour(emoji, `"${FLAG_FONT_FAMILY}"`), emoji).to.equal(true);
    }
  });

  it('draws the flag of every region in the list in colour', async () => {
    const el = await mount(html`<flash-call-verify site-key="pk_sandbox" default-country="GB"></flash-call-verify>`);
    await openPicker(el);
    await waitUntil(() => flagFaces()[0]?.status === 'loaded', 'the flag font did not load', { timeout: 4000 });
    const flags = $$(el, '[role="option"] .flag').map((span) => span.textContent);
    expect(flags.length).to.be.above(200);
    const grey = flags.filter((emoji) => !drawsInColour(emoji, `"${FLAG_FONT_FAMILY}"`));
    expect(grey).to.deep.equal([]);
  });

  it('serves the font of the pinned country-flag-emoji-polyfill, byte for byte', async () => {
    const bytes = async (path: string) => new Uint8Array(await (await fetch(path)).arrayBuffer());
    const ours = await bytes('/widget/picker/assets/TwemojiCountryFlags.woff2');
    const theirs = await bytes('/node_modules/country-flag-emoji-polyfill/dist/TwemojiCountryFlags.woff2');
    expect(ours.length).to.be.above(10_000);
    expect(ours).to.deep.equal(theirs);
  });
});
