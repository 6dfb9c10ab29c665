/**
 * The code boxes: one per hidden digit of the caller ID, filled by typing, pasting or one-time-code
 * autofill. Travels with the views after a submit (flow-parts.ts), fetched after the first paint, so the
 * idle form renders without it.
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { codeEntryStyles } from './code-entry-styles.js';
import { format, type Messages, type PluralForms } from '../i18n/messages.js';
import { plural } from '../i18n/plural.js';
import { codeDigits } from '../phone/digits.js';

export { codeEntryStyles };

type Host = ReactiveControllerHost & HTMLElement & { renderRoot: HTMLElement | DocumentFragment };

export interface CodeEntryOptions {
  /** Every box is filled: the code to check. */
  onComplete(code: string): void;
}

export interface CodeView {
  codeLength: number;
  /** What to type, by how the code came. */
  hint: PluralForms;
  /** The caller ID's known digits, as shown before the boxes; empty for a code said or texted. */
  prefix: string;
  /** A check is under way: the boxes are read-only. */
  checking: boolean;
  /** The last code was wrong. */
  wrong: boolean;
  disabled: boolean;
}

export class CodeEntry implements ReactiveController {
  digits: string[] = [];
  #length = 0;
  #checking = false;

  constructor(
    private readonly host: Host,
    private readonly options: CodeEntryOptions,
  ) {
    host.addController(this);
  }

  /**
   * Each box shows its digit in `digits` after every render, whatever was typed into it since: emptied for a
   * new call or a wrong code, filled by a code that arrived by itself (what Lit's `live()` does, without its weight).
   */
  hostUpdated(): void {
    this.inputs().forEach((input, i) => {
      const digit = this.digits[i] ?? '';
      if (input.value !== digit) input.value = digit;
    });
  }

  /** The boxes as rendered. */
  inputs(): HTMLInputElement[] {
    return [...this.host.renderRoot.querySelectorAll<HTMLInputElement>('input.digit')];
  }

  /** Empties every box (a new call, or a wrong code). */
  clear(): void {
    this.digits = [];
    this.inputs().forEach((input) => (input.value = ''));
    this.host.requestUpdate();
  }

  /** Focuses the first empty box, else the first. */
  focus(): void {
    const inputs = this.inputs();
    (inputs.find((input) => !input.value) ?? inputs[0])?.focus();
  }

  render(m: Messages, lang: string, view: CodeView): TemplateResult {
    const n = view.codeLength;
    this.#length = n;
    this.#checking = view.checking;
    return html`<p class="hint" id="code-hint">${plural(lang, view.hint, n)}</p>
      <div class="code" dir="ltr" role="group" aria-labelledby="code-hint">
        ${view.prefix ? html`<span part="prefix" class="prefix">${view.prefix}</span>` : nothing}
        <span class="digits">
          ${Array.from(
            { length: n },
            (_, i) =>
              html`<input
                class="digit"
                part="digit"
                type="text"
                inputmode="numeric"
                pattern="[0-9]*"
                autocomplete="one-time-code"
                data-index=${i}
                aria-label=${format(m.digit, { i: i + 1, n }, lang)}
                aria-invalid=${view.wrong ? 'true' : 'false'}
                ?readonly=${view.checking}
                ?disabled=${view.disabled}
                @input=${this.#onInput}
                @keydown=${this.#onKeydown}
                @paste=${this.#onPaste}
                @focus=${(e: FocusEvent) => (e.target as HTMLInputElement).select()}
              />`,
          )}
        </span>
      </div>`;
  }

  #set(digits: string[]): void {
    this.digits = digits;
    this.host.requestUpdate();
  }

  #fill(from: number, typed: string): void {
    const n = this.#length;
    // A whole code (or the whole calling number, copied from the call log) fills every box.
    const code = typed.length >= n ? typed.slice(-n) : typed;
    const start = typed.length >= n ? 0 : from;
    const next = Array.from({ length: n }, (_, i) => this.digits[i] ?? '');
    [...code].forEach((d, k) => {
      if (start + k < n) next[start + k] = d;
    });
    this.#set(next);
    const inputs = this.inputs();
    next.forEach((d, i) => {
      if (inputs[i]) inputs[i].value = d;
    });
    if (next.every((d) => d)) {
      inputs[n - 1]?.focus();
      this.options.onComplete(next.join(''));
    } else {
      inputs[Math.min(start + code.length, n - 1)]?.focus();
    }
  }

  #onInput = (event: Event) => {
    const input = event.target as HTMLInputElement;
    const index = Number(input.dataset.index);
    const typed = codeDigits(input.value);
    if (!typed) {
      input.value = '';
      this.#set(this.digits.map((d, i) => (i === index ? '' : d)));
      return;
    }
    // Typing over a filled box replaces its digit: keep only what was added.
    const previous = this.digits[index] ?? '';
    const fresh = typed.length === 2 && previous && typed.includes(previous) ? typed.replace(previous, '') || previous : typed;
    this.#fill(index, fresh);
  };

  #onPaste = (event: ClipboardEvent) => {
    const typed = codeDigits(event.clipboardData?.getData('text') ?? '');
    event.preventDefault();
    if (!typed || this.#checking) return;
    this.#fill(Number((event.target as HTMLInputElement).dataset.index), typed);
  };

  #onKeydown = (event: KeyboardEvent) => {
    const input = event.target as HTMLInputElement;
    const index = Number(input.dataset.index);
    const inputs = this.inputs();
    const go = (i: number) => {
      event.preventDefault();
      inputs[Math.max(0, Math.min(inputs.length - 1, i))]?.focus();
    };
    switch (event.key) {
      case 'Backspace':
        if (!input.value && index > 0 && !this.#checking) {
          event.preventDefault();
          this.#set(this.digits.map((d, i) => (i === index - 1 ? '' : d)));
          inputs[index - 1]!.value = '';
          inputs[index - 1]!.focus();
        }
        return;
      case 'ArrowLeft':
        return go(index - 1);
      case 'ArrowRight':
        return go(index + 1);
      case 'Home':
        return go(0);
      case 'End':
        return go(inputs.length - 1);
    }
  };
}
