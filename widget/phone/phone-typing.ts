/**
 * Formatting the number as it is typed: the field's input, paste and change handling once the phone module
 * is in. It travels in that module's chunk (phone-module.ts); until then the field (phone-field.ts) shows
 * the text as typed, and this formats it on arrival.
 */
import type { CountryPicker } from '../picker/country-picker.js';
import type * as PhoneLib from './phone-lib.js';
import { caretAfterSignificant, cleanPhoneInput, significantBefore } from './phone-text.js';

/**
 * The number field this formats: PhoneField (phone-field.ts), which owns its state. Declared here, where
 * it is used, so that the field can bring this module in lazily without an import coming back.
 */
export interface TypedField {
  /** The text the field shows. */
  readonly text: string;
  /** The field element, while the form shows. */
  readonly input: HTMLInputElement | null;
  /** The region the digits are read in, its dial code, and the regions the page takes. */
  readonly picker: CountryPicker;
  /** Shows `text`; `international` means the picker shows only the flag. */
  show(text: string, international: boolean): void;
  report(problem: 'country_not_allowed'): void;
  /** Metadata arrived: whatever shows its digits (the call flow's messages too) renders again. */
  requestUpdate(): void;
}

/** Whether the user is in the field, so the caret is theirs to keep. */
function focused(input: HTMLInputElement): boolean {
  const root = input.getRootNode() as ShadowRoot;
  return document.activeElement === root.host && root.activeElement === input;
}

const BULK_INPUT = new Set(['insertFromPaste', 'insertFromDrop', 'insertReplacementText', 'insertFromYank']);

export class PhoneTyping {
  #awaitingParts = false;
  #awaitingCommit = false;

  /**
   * @param bulk Whether the text typed before this arrived is to be read whole (pasted, autofilled), so an
   *   international number settles in national form.
   */
  constructor(
    private readonly field: TypedField,
    readonly lib: typeof PhoneLib,
    private bulk: boolean,
  ) {
    this.reformat();
  }

  onInput(event: InputEvent): void {
    const input = event.target as HTMLInputElement;
    if (event.isComposing) return this.#composing(input);
    const inputType = event.inputType;
    // Autofill fires a plain input event; paste and drop-in replacements come whole too.
    const bulk = !inputType || BULK_INPUT.has(inputType);
    const shown = this.field.text;
    let raw = input.value;
    let caret = significantBefore(raw, input.selectionStart ?? raw.length);
    if (inputType === 'deleteContentBackward' && significantBefore(raw, raw.length) === significantBefore(shown, shown.length)) {
      // Backspace hit a space or dash the formatter put there: delete the digit before it instead.
      const cut = caretAfterSignificant(raw, caret);
      raw = raw.slice(0, Math.max(0, cut - 1)) + raw.slice(cut);
      caret = Math.max(0, caret - 1);
    }
    this.#show(input, raw, bulk, bulk ? undefined : caret);
  }

  /**
   * An input method (Japanese, Chinese...) is composing: rewriting the field now would break the composition,
   * so the text shows as it is and is formatted, the caret kept between the same digits, once it is committed.
   */
  #composing(input: HTMLInputElement): void {
    this.field.show(input.value, cleanPhoneInput(input.value).startsWith('+'));
    if (this.#awaitingCommit) return;
    this.#awaitingCommit = true;
    input.addEventListener(
      'compositionend',
      () => {
        this.#awaitingCommit = false;
        const raw = input.value;
        this.#show(input, raw, false, significantBefore(raw, input.selectionStart ?? raw.length));
      },
      { once: true },
    );
  }

  /** Handled here, not left to the input event, so a pasted international number is read whole. */
  onPaste(event: ClipboardEvent): void {
    const text = event.clipboardData?.getData('text/plain') ?? event.clipboardData?.getData('text');
    if (!text) return;
    event.preventDefault();
    const input = event.target as HTMLInputElement;
    const start = input.selectionStart ?? input.value.length;
    const end = input.selectionEnd ?? start;
    const whole = start === 0 && end === input.value.length;
    this.#show(input, whole ? text : input.value.slice(0, start) + text + input.value.slice(end), true, undefined);
  }

  /** Leaving the field with an international number: show it in national form beside its dial code. */
  onChange(): void {
    const clean = cleanPhoneInput(this.field.text);
    if (!clean.startsWith('+')) return;
    const typed = this.lib.formatTyping(clean, this.field.picker.value);
    if (!typed) {
      // Its metadata is on its way: settled when it arrives.
      this.bulk = true;
      return;
    }
    if (typed.country && typed.national && this.field.picker.allows(typed.country)) {
      this.field.picker.value = typed.country;
      this.field.show(this.lib.formatTyping(cleanPhoneInput(typed.national), typed.country)?.text ?? typed.national, false);
    }
  }

  /** Another region was picked: the digits stay, formatted for it; a leading "+" would contradict the choice, so it goes. */
  regionChosen(): void {
    const text = this.field.text;
    if (!text) return;
    const clean = cleanPhoneInput(text).replace(/^\+/, '');
    this.bulk = false;
    this.field.show(this.lib.formatTyping(clean, this.field.picker.value)?.text ?? clean, false);
  }

  /** A number or a caller-ID prefix grouped in international form; as it is until its metadata is in. */
  international(digits: string): string {
    const shown = this.lib.formatInternational(digits);
    if (shown === undefined) this.awaitArrivals();
    return shown ?? digits;
  }

  /** Formats again once the metadata parts on their way are in, so whatever was shown unformatted gets formatted. */
  awaitArrivals(): void {
    const arrivals = this.lib.arrivals();
    if (!arrivals || this.#awaitingParts) return;
    this.#awaitingParts = true;
    const before = this.lib.partsLoaded();
    void arrivals.then(() => {
      this.#awaitingParts = false;
      // Unchanged after a failed fetch: nothing to redo, so no refetch loop; the next keystroke or the submit asks again.
      if (this.lib.partsLoaded() === before) return;
      this.reformat();
      this.field.requestUpdate();
    });
  }

  /** Formats again what the field shows; someone still typing keeps the caret between the same digits. */
  reformat(): void {
    const input = this.field.input;
    const text = this.field.text;
    if (!input || !text) {
      this.awaitArrivals();
      return;
    }
    const typing = !this.bulk && focused(input);
    const caret = typing ? significantBefore(input.value, input.selectionStart ?? input.value.length) : undefined;
    this.#show(input, text, this.bulk, caret);
  }

  /** Formats `raw` into the field; `bulk` reads it whole, so an international number settles in national form. */
  #show(input: HTMLInputElement, raw: string, bulk: boolean, caret: number | undefined): void {
    const { field, lib } = this;
    const { picker } = field;
    const clean = cleanPhoneInput(raw, picker.selected?.dialCode);
    this.bulk = bulk;
    const typed = lib.formatTyping(clean, picker.value);
    if (!typed) {
      // Shown as typed until the metadata for these digits is in.
      field.show(raw, clean.startsWith('+'));
      this.awaitArrivals();
      return;
    }
    let text = typed.text;
    let international = false;
    if (clean.startsWith('+')) {
      const allowed = typed.country && picker.allows(typed.country);
      if (allowed) picker.value = typed.country!;
      if (bulk && allowed && typed.national) {
        text = lib.formatTyping(cleanPhoneInput(typed.national), typed.country)?.text ?? typed.national;
      } else {
        international = true;
        if (typed.country && !allowed && bulk) field.report('country_not_allowed');
      }
    }
    field.show(text, international);
    // Set now rather than on render, so the caret can be put back between the same digits.
    input.value = text;
    const at = caret === undefined ? text.length : caretAfterSignificant(text, caret);
    if (focused(input)) input.setSelectionRange(at, at);
  }
}
