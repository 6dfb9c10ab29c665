/**
 * The number field's one owner: the text it shows, whether that is an international number, what is wrong
 * with it, and the formatting as typed once the phone module is in (phone-typing.ts). The element renders
 * the field from it and forwards the field's events to it; the region is the picker's.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { format, type FormMessages } from '../i18n/messages.js';
import type { CountryPicker } from '../picker/country-picker.js';
import { phoneModule, type PhoneLibModule, type PhoneProblem } from './phone.js';
import type { PhoneTyping, TypedField } from './phone-typing.js';

export type FieldProblem = PhoneProblem | 'country_not_allowed' | 'network';

type Host = ReactiveControllerHost & HTMLElement & { renderRoot: HTMLElement | DocumentFragment };

export interface PhoneFieldOptions {
  /** The picker whose region the number is read in. */
  picker: CountryPicker;
}

export class PhoneField implements ReactiveController, TypedField {
  text = '';
  /** The field holds an international number, so the picker shows only the flag. */
  international = false;
  problem: FieldProblem | undefined;
  readonly picker: CountryPicker;
  /** Formatting as typed, once the phone module is in. */
  #typing: PhoneTyping | undefined;
  /** Whether the text shown as typed, waiting for the phone module, is to be read whole (pasted, autofilled). */
  #bulk = true;

  constructor(
    private readonly host: Host,
    options: PhoneFieldOptions,
  ) {
    this.picker = options.picker;
    host.addController(this);
  }

  /** The number field, while the form shows. */
  get input(): HTMLInputElement | null {
    return this.host.renderRoot.querySelector<HTMLInputElement>('#phone');
  }

  hostConnected(): void {
    // Whichever attempt brings the phone module in (first paint, focus, a submit after a failed fetch).
    void phoneModule.arrived.then((lib) => (this.#typing ??= new lib.PhoneTyping(this, lib, this.#bulk)));
  }

  /**
   * The field shows `text` even when a keystroke left it unchanged (a character the formatter drops),
   * which a property binding, comparing with its last value rather than the field's, would miss.
   */
  hostUpdated(): void {
    const input = this.input;
    if (input && input.value !== this.text) input.value = this.text;
  }

  requestUpdate(): void {
    this.host.requestUpdate();
  }

  /** Shows `text`; `international` means the picker shows only the flag. */
  show(text: string, international: boolean): void {
    this.text = text;
    this.international = international;
    this.host.requestUpdate();
  }

  /** Says what is wrong with the number, beside it. */
  report(problem: FieldProblem | undefined): void {
    this.problem = problem;
    this.host.requestUpdate();
  }

  /** Back to an empty field. */
  reset(): void {
    this.show('', false);
    this.report(undefined);
  }

  focus(): void {
    this.input?.focus();
  }

  /** Resolves once the phone metadata of the picker's region is loaded; typing is formatted from then on. */
  ready(): Promise<PhoneLibModule> {
    // Another calling code's metadata follows when a number of it is typed or its region picked.
    return phoneModule.load().then((lib) => this.#loadRegion(lib).then(() => lib));
  }

  /** Fetches the metadata of the picker region's calling code. */
  #loadRegion(lib: Pick<PhoneLibModule, 'loadRegion'>): Promise<void> {
    const load = lib.loadRegion(this.picker.value);
    this.#typing?.awaitArrivals();
    return load;
  }

  /** A number or a caller-ID prefix grouped in international form, once the phone module is in; as it is until then. */
  formatInternational(digits: string): string {
    return this.#typing?.international(digits) ?? digits;
  }

  /** Shows the number a call was placed to, where it was typed, unless the field shows one. */
  showCalled(number: string): void {
    if (this.text) return;
    this.text = this.formatInternational(number);
    this.international = true;
  }

  /** What is wrong with the number, in words. */
  message(m: FormMessages): string | undefined {
    switch (this.problem) {
      case undefined:
        return undefined;
      case 'empty':
        return m.phoneEmpty;
      case 'too_short':
        return m.phoneTooShort;
      case 'too_long':
        return m.phoneTooLong;
      case 'country_not_allowed':
      case 'network':
        return m.errors[this.problem];
      case 'invalid':
        return format(m.phoneInvalid, { country: this.picker.selected?.name ?? '' });
    }
  }

  /** Handles a paste once formatting is in, and says so; until then the browser pastes and the input event follows. */
  onPaste(event: ClipboardEvent): boolean {
    if (!this.#typing) return false;
    this.report(undefined);
    this.#typing.onPaste(event);
    return true;
  }

  onInput(event: InputEvent): void {
    // An edit clears what was said about the number before.
    this.report(undefined);
    if (this.#typing) return this.#typing.onInput(event);
    // Shown as typed until the phone module is in, which formats it then.
    const { value } = event.target as HTMLInputElement;
    const inputType = event.inputType;
    this.#bulk = !inputType || inputType.startsWith('insertFrom') || inputType === 'insertReplacementText';
    this.show(value, value.trimStart().startsWith('+'));
  }

  /** Leaving the field: an international number settles in national form. */
  onChange(): void {
    this.#typing?.onChange();
  }

  /** The picker's region changed: the digits stay, formatted for it; from the keyboard, focus moves on to them. */
  regionChosen(viaKeyboard: boolean): void {
    this.international = false;
    this.report(undefined);
    const typing = this.#typing;
    if (typing) {
      void this.#loadRegion(typing.lib).catch(() => undefined);
      typing.regionChosen();
    }
    if (viaKeyboard) void this.host.updateComplete.then(() => this.focus());
  }

  /** The number as typed, reduced to "+" and digits, read in the picker's region. */
  clean(lib: PhoneLibModule): string {
    return lib.cleanPhoneInput(this.text, this.picker.selected?.dialCode);
  }
}
