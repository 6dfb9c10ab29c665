import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { addStyles } from '../add-styles.js';
import { lazy } from '../lazy.js';
import type { Country, CountryCode } from './countries.js';
import type { CountryPopup } from './country-popup.js';
import { format, type FormMessages } from '../i18n/messages.js';

type Host = ReactiveControllerHost & HTMLElement & { renderRoot: HTMLElement | DocumentFragment };

export interface CountryPickerOptions {
  /** A country was chosen; `viaKeyboard` tells the host to move focus on to the number. */
  onSelect(code: CountryCode, viaKeyboard: boolean): void;
}

/** The popup, fetched after the first paint or on first opening; a failed fetch may be retried. */
export const countryPopup = lazy(() => import('./country-popup.js'));

/**
 * The country picker: a button showing the flag and dial code that opens a searchable list (country-popup.ts).
 * Kept in the element's shadow root rather than in an element of its own, so that `aria-controls` and
 * `aria-activedescendant` point at ids in the same tree, as they must.
 */
export class CountryPicker implements ReactiveController {
  open = false;
  value: CountryCode | undefined;
  countries: readonly Country[] = [];
  /** Names regions in a language, once the popup’s chunk (which brings the names) is in; until then regions go by their codes. */
  naming: ((lang: string) => Country[]) | undefined;
  #popup: CountryPopup | undefined;
  /** What was typed on the button while the popup's chunk was on its way; undefined when not opening. */
  #seed: string | undefined;

  constructor(
    readonly host: Host,
    private readonly options: CountryPickerOptions,
  ) {
    host.addController(this);
  }

  get selected(): Country | undefined {
    return this.countries.find((c) => c.code === this.value);
  }

  /** Whether the page takes numbers of `region`. */
  allows(region: string): boolean {
    return this.countries.some((c) => c.code === region);
  }

  hostDisconnected(): void {
    this.open = false;
  }

  /** The popup, its chunk fetched (once) and its styles added to the element's. */
  popupReady(): Promise<CountryPopup> {
    if (this.#popup) return Promise.resolve(this.#popup);
    return countryPopup.load().then((module) => {
      if (!this.#popup) {
        this.naming = module.allCountries;
        this.host.requestUpdate();
        this.#popup = new module.CountryPopup(this);
        addStyles(this.host.renderRoot, [module.countryPopupStyles]);
      }
      return this.#popup;
    });
  }

  /** Opens the popup on a search for `seed`; at once if its chunk is in, else once it arrives. */
  async show(seed = ''): Promise<void> {
    if (this.#popup) {
      this.open = true;
      return this.#popup.open(seed);
    }
    // Keys pressed on the button before the popup is in add to the search it opens with.
    if (this.#seed !== undefined) {
      this.#seed += seed;
      return;
    }
    this.#seed = seed;
    try {
      await this.popupReady();
      // The regions get their names in the update the chunk's arrival asked for: the popup opens on those.
      await this.host.updateComplete;
    } catch {
      // Not fetched: the button stays as it is, and the next press asks again.
      this.#seed = undefined;
      return;
    }
    // Focus left the picker while the chunk was on its way: the user has moved on, so nothing opens.
    if (this.#seed === undefined) return;
    const typed = this.#seed;
    this.#seed = undefined;
    return this.show(typed);
  }

  hide(focusButton: boolean): void {
    this.#seed = undefined;
    if (!this.open) return;
    this.open = false;
    this.host.requestUpdate();
    if (focusButton) {
      void this.host.updateComplete.then(() => this.host.renderRoot.querySelector<HTMLElement>('[part~="country-button"]')?.focus());
    }
  }

  /** Selects `country` and closes the popup; `viaKeyboard` tells the element to move focus on to the number. */
  choose(country: Country, viaKeyboard: boolean): void {
    this.value = country.code;
    this.hide(false);
    this.options.onSelect(country.code, viaKeyboard);
  }

  #onButtonKeydown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      void this.show();
    } else if (event.key.length === 1 && event.key !== ' ' && !event.ctrlKey && !event.metaKey && !event.altKey) {
      // Typing on the closed picker starts a search, as on a native select.
      event.preventDefault();
      void this.show(event.key);
    }
  };

  #onFocusOut = (event: FocusEvent) => {
    const next = event.relatedTarget as Node | null;
    const picker = event.currentTarget as HTMLElement;
    if (!next || !picker.contains(next)) this.hide(false);
  };

  /**
   * The button shows its flag once the popup's chunk has checked how this platform draws flags (flags.ts), in the
   * place kept for it: never two letters or empty boxes first, and no search for a font the first paint would wait for.
   */
  render(m: FormMessages, lang: string, dir: 'ltr' | 'rtl', disabled: boolean, showDialCode: boolean) {
    const selected = this.selected;
    const label = selected ? format(m.countryButton, { country: selected.name, dialCode: `+${selected.dialCode}` }) : m.countryList;
    return html`<div class="picker" @focusout=${this.#onFocusOut}>
      <button
        type="button"
        part="country-button"
        class="country-button"
        aria-haspopup="listbox"
        aria-expanded=${this.open ? 'true' : 'false'}
        aria-label=${label}
        ?disabled=${disabled}
        @click=${() => (this.open ? this.hide(true) : void this.show())}
        @keydown=${this.#onButtonKeydown}
      >
        <span class="flag" aria-hidden="true">${this.#popup ? selected?.flag : nothing}</span>
        ${showDialCode && selected ? html`<span class="dial" dir="ltr" aria-hidden="true">+${selected.dialCode}</span>` : nothing}
        <span class="chevron" aria-hidden="true"></span>
      </button>
      ${this.open && this.#popup ? this.#popup.render(m, lang, dir) : nothing}
    </div>`;
  }
}
