import { expect, html, oneEvent } from '@open-wc/testing';
import { asciiDigits, digitValue } from '../../widget/phone/digits.js';
import type { FcvVerifiedEvent } from '../../widget/events.js';
import type { FlashCallVerify } from '../../widget/flash-call-verify.js';
import {
  buttonFlag,
  $,
  UK_MOBILE,
  autofill,
  callTo,
  countryButtonText,
  digitInputs,
  mount,
  paste,
  phoneInput,
  startSandbox,
  startVerification,
  stopSandbox,
  type,
  typeCode,
  waitForState,
  waitUntil,
} from './helpers.js';

/** Writes the ASCII digits of `ascii` with the digits of the script whose zero is `zero`. */
function inScript(ascii: string, zero: number): string {
  return ascii.replace(/\d/g, (d) => String.fromCodePoint(zero + Number(d)));
}

const SCRIPTS: Record<string, number> = {
  'full-width': 0xff10,
  'Arabic-Indic': 0x660,
  Persian: 0x6f0,
  Devanagari: 0x966,
  Bengali: 0x9e6,
  Thai: 0xe50,
  'mathematical bold (outside the BMP)': 0x1d7ce,
};

/**
 * What an input method does that the keyboard helper cannot: inserts `char` at the caret and fires the
 * input event a committed character fires (`insertText`, no key events).
 */
function insertText(input: HTMLInputElement, char: string): void {
  const start = input.selectionStart ?? input.value.length;
  const end = input.selectionEnd ?? start;
  input.value = input.value.slice(0, start) + char + input.value.slice(end);
  input.setSelectionRange(start + char.length, start + char.length);
  input.dispatchEvent(new InputEvent('input', { inputType: 'insertText', data: char, bubbles: true, composed: true }));
}

async function imeType(el: FlashCallVerify, text: string): Promise<void> {
  const input = phoneInput(el);
  input.focus();
  for (const char of text) {
    insertText(input, char);
    await el.updateComplete;
  }
}

/** The field as a user sees it: its text, where the caret is (as digits before it) and the country button with its flag. */
async function seen(el: FlashCallVerify) {
  const input = phoneInput(el);
  await buttonFlag(el);
  return { text: input.value, caret: input.selectionStart, button: countryButtonText(el) };
}

describe('digits of every script', () => {
  it('reads every decimal digit the browser knows as its ASCII value', () => {
    let count = 0;
    let zero = -1;
    for (let code = 0; code <= 0x10ffff; code++) {
      const char = String.fromCodePoint(code);
      if (!/\p{Nd}/u.test(char)) continue;
      // Unicode assigns decimal digits in runs 0 to 9: a run starts where the last one is ten or more behind.
      if (zero < 0 || code - zero >= 10) zero = code;
      count++;
      expect(digitValue(char), `U+${code.toString(16)}`).to.equal(code - zero);
      expect(asciiDigits(`a${char}b`)).to.equal(`a${code - zero}b`);
    }
    expect(count).to.be.at.least(600);
  });

  it('agrees with the numbering systems Intl knows', () => {
    const systems = [
      'arab',
      'arabext',
      'beng',
      'deva',
      'fullwide',
      'gujr',
      'guru',
      'khmr',
      'knda',
      'laoo',
      'mlym',
      'mymr',
      'orya',
      'tamldec',
      'telu',
      'thai',
      'tibt',
      'mathbold',
      'adlm',
    ];
    for (const numberingSystem of systems) {
      const written = new Intl.NumberFormat('en', { numberingSystem, useGrouping: false }).format(1234567890);
      expect(asciiDigits(written), numberingSystem).to.equal('1234567890');
    }
  });

  it('leaves everything else as it is', () => {
    expect(asciiDigits('+44 (0) 7400-123.456 ½ ² Ⅷ abc')).to.equal('+44 (0) 7400-123.456 ½ ² Ⅷ abc');
  });
});

describe('typing digits of other scripts in the number field', () => {
  for (const [script, zero] of Object.entries(SCRIPTS)) {
    it(`formats ${script} digits typed key by key as it does ASCII ones, caret at the end`, async () => {
      const ascii = await mount(html`<flash-call-verify site-key="pk_sandbox" default-country="GB"></flash-call-verify>`);
      phoneInput(ascii).focus();
      await type(UK_MOBILE.digits);
      await ascii.updateComplete;
      const expected = await seen(ascii);
      expect(expected.text).to.equal(UK_MOBILE.national);

      const el = await mount(html`<flash-call-verify site-key="pk_sandbox" default-country="GB"></flash-call-verify>`);
      phoneInput(el).focus();
      await type(inScript(UK_MOBILE.digits, zero));
      await el.updateComplete;
      expect(await seen(el)).to.deep.equal(expected);
    });

    it(`keeps the caret after each ${script} digit an input method commits`, async () => {
      const el = await mount(html`<flash-call-verify site-key="pk_sandbox" default-country="GB"></flash-call-verify>`);
      await imeType(el, inScript('+447400123456', zero));
      expect(phoneInput(el).value).to.equal(UK_MOBILE.international);
      expect(phoneInput(el).selectionStart).to.equal(UK_MOBILE.international.length);
      expect(await buttonFlag(el)).to.equal('🇬🇧');
      expect(countryButtonText(el)).not.to.contain('+47');
    });
  }

  it('keeps the caret between the same digits when one is inserted in the middle', async () => {
    const el = await mount(html`<flash-call-verify site-key="pk_sandbox" default-country="GB"></flash-call-verify>`);
    await imeType(el, '０７４００１２３４５');
    const input = phoneInput(el);
    expect(input.value).to.equal('07400 12345');
    // After "0740", insert the 5th digit again: the number grows in the middle, the caret stays after it.
    input.setSelectionRange(4, 4);
    insertText(input, '٠');
    await el.updateComplete;
    expect(input.value).to.equal('07400 012345');
    expect(input.value.slice(0, input.selectionStart!).replace(/\D/g, '')).to.equal('07400');
  });

  it('formats what an input method composed once it is committed, not while composing', async () => {
    const el = await mount(html`<flash-call-verify site-key="pk_sandbox" default-country="GB"></flash-call-verify>`);
    const input = phoneInput(el);
    input.focus();
    input.dispatchEvent(new CompositionEvent('compositionstart', { bubbles: true, composed: true }));
    for (const step of ['０', '０７', '０７４', '０７４０', '０７４００', '０７４００１']) {
      input.value = step;
      input.setSelectionRange(step.length, step.length);
      input.dispatchEvent(
        new InputEvent('input', { inputType: 'insertCompositionText', data: step, isComposing: true, bubbles: true, composed: true }),
      );
      await el.updateComplete;
      // Rewriting the field mid-composition would end it: the text stays as composed.
      expect(input.value).to.equal(step);
    }
    input.dispatchEvent(new CompositionEvent('compositionend', { data: '０７４００１', bubbles: true, composed: true }));
    await el.updateComplete;
    expect(input.value).to.equal('07400 1');
    expect(input.selectionStart).to.equal(input.value.length);
    await type('23456');
    await el.updateComplete;
    expect(input.value).to.equal(UK_MOBILE.national);
  });

  it('reads pasted and autofilled Devanagari digits', async () => {
    const el = await mount(html`<flash-call-verify site-key="pk_sandbox" default-country="US"></flash-call-verify>`);
    paste(phoneInput(el), inScript(UK_MOBILE.international, 0x966));
    await waitUntil(() => phoneInput(el).value === UK_MOBILE.national, `shows ${phoneInput(el).value}`);
    expect(countryButtonText(el)).to.contain('+44');
    const filled = await mount(html`<flash-call-verify site-key="pk_sandbox" default-country="US"></flash-call-verify>`);
    autofill(phoneInput(filled), inScript(UK_MOBILE.international, 0x966));
    await waitUntil(() => phoneInput(filled).value === UK_MOBILE.national, `shows ${phoneInput(filled).value}`);
    expect(countryButtonText(filled)).to.contain('+44');
  });
});

describe('digits of other scripts, to the call and back', () => {
  let url: string;
  beforeEach(async () => {
    url = await startSandbox();
  });
  afterEach(async () => {
    await stopSandbox(url);
  });

  it('calls the number typed in Arabic-Indic digits on the Arabic page, and takes the code in them', async () => {
    const el = await mount(
      html`<div dir="rtl" lang="ar">
        <flash-call-verify site-key="pk_sandbox" endpoint=${url} default-country="GB"></flash-call-verify>
      </div>`,
    );
    await imeType(el, inScript(UK_MOBILE.digits, 0x660));
    expect(phoneInput(el).value).to.equal(UK_MOBILE.national);
    const { code } = await startVerification(el, url, UK_MOBILE.e164);
    const verified = oneEvent<FcvVerifiedEvent>(el, 'fcv-verified');
    await typeCode(el, inScript(code, 0x660));
    expect((await verified).detail.phone).to.equal(UK_MOBILE.e164);
    await waitForState(el, 'verified');
  });

  it('calls the number typed in full-width digits, and takes a code typed in Bengali and pasted in Devanagari', async () => {
    const el = await mount(html`<flash-call-verify site-key="pk_sandbox" endpoint=${url} default-country="US"></flash-call-verify>`);
    await imeType(el, inScript('+447400123456', 0xff10));
    ($(el, '[part~="verify-button"]') as HTMLButtonElement).click();
    const call = await callTo(url, UK_MOBILE.e164);
    await waitUntil(() => digitInputs(el).length > 0, 'no code boxes');
    const n = digitInputs(el).length;
    const code = call.from.slice(-n);
    await typeCode(el, inScript(code.slice(0, 2), 0x9e6));
    expect(
      digitInputs(el)
        .map((box) => box.value)
        .join(''),
    ).to.equal(code.slice(0, 2));
    paste(digitInputs(el)[2]!, inScript(code.slice(2), 0x966));
    await waitForState(el, 'verified');
    expect(el.phone).to.equal(UK_MOBILE.e164);
  });
});

describe('a code that starts with zeros', () => {
  let url: string;
  beforeEach(async () => {
    // Every code this server sends is 0012…: a leading 00 a phone number's reader would take for a prefix.
    url = await startSandbox({}, '0012');
  });
  afterEach(async () => {
    await stopSandbox(url);
  });

  it('is taken whole when pasted or autofilled', async () => {
    const el = await mount(html`<flash-call-verify site-key="pk_sandbox" endpoint=${url} default-country="GB"></flash-call-verify>`);
    await imeType(el, UK_MOBILE.digits);
    const { code } = await startVerification(el, url, UK_MOBILE.e164);
    expect(code).to.match(/^0012/);
    paste(digitInputs(el)[0]!, code);
    expect(
      digitInputs(el)
        .map((box) => box.value)
        .join(''),
    ).to.equal(code);
    await waitForState(el, 'verified');

    // Autofill of a one-time code writes it whole into the first box.
    const other = await mount(html`<flash-call-verify site-key="pk_sandbox" endpoint=${url} default-country="GB"></flash-call-verify>`);
    await imeType(other, '07400123457');
    const second = await startVerification(other, url, '+447400123457');
    const box = digitInputs(other)[0]!;
    box.value = second.code;
    box.dispatchEvent(new InputEvent('input', { inputType: 'insertReplacementText', bubbles: true, composed: true }));
    await waitForState(other, 'verified');
  });
});
