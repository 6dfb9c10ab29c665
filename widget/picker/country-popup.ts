/**
 * The country picker's popup: a search field with a filtered listbox (the WAI-ARIA APG "combobox with
 * listbox popup", list autocomplete, manual selection). A chunk of its own, with its styles: the button
 * that opens it is in the first render, the popup is fetched after the first paint or when first opened.
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { Country } from './countries.js';
import { countryPopupStyles } from './country-popup-styles.js';
import { searchCountries } from './country-search.js';
import { supplyFlags } from './flags.js';
import type { FormMessages } from '../i18n/messages.js';

export { countryPopupStyles };
// The element names its regions once this chunk is in.
export { allCountries } from './country-names.js';

const PAGE = 8;

/**
 * What the popup sees of the picker that owns it: the picker itself (CountryPicker, country-picker.ts),
 * declared here so that the picker can bring this chunk in lazily without an import coming back.
 */
export interface PopupHost {
  /** The element the picker renders in. */
  readonly host: ReactiveControllerHost & HTMLElement & { renderRoot: HTMLElement | DocumentFragment };
  readonly countries: readonly Country[];
  readonly value: string | undefined;
  /** A country was picked: from the keyboard, focus moves on to the number. */
  choose(country: Country, viaKeyboard: boolean): void;
  hide(focusButton: boolean): void;
}

export class CountryPopup implements ReactiveController {
  readonly #picker: PopupHost;
  #query = '';
  #active = 0;
  #searched: readonly Country[] | undefined;
  #matches: Country[] = [];
  #scrollPending = false;

  constructor(picker: PopupHost) {
    this.#picker = picker;
    picker.host.addController(this);
    // Before any flag is drawn, the button's included: it shows none until this chunk is in.
    supplyFlags();
  }

  /** The countries matching the search, kept until the list or the search changes. */
  get #results(): Country[] {
    const countries = this.#picker.countries;
    if (countries !== this.#searched) {
      this.#searched = countries;
      this.#matches = searchCountries(countries, this.#query);
    }
    return this.#matches;
  }

  hostUpdated(): void {
    if (!this.#scrollPending) return;
    this.#scrollPending = false;
    const option = this.#picker.host.renderRoot.querySelector<HTMLElement>('[role="option"][aria-selected="true"]');
    option?.scrollIntoView?.({ block: 'nearest' });
  }

  /** Starts a search for `seed` (what was typed on the closed button), then moves focus into it once rendered. */
  async open(seed: string): Promise<void> {
    this.#setQuery(seed);
    // Start on the current country, so opening and pressing Enter changes nothing.
    if (!seed)
      this.#active = Math.max(
        0,
        this.#results.findIndex((c) => c.code === this.#picker.value),
      );
    this.#scrollPending = true;
    const element = this.#picker.host;
    element.requestUpdate();
    await element.updateComplete;
    const input = element.renderRoot.querySelector<HTMLInputElement>('[part~="country-search"]');
    input?.focus();
    input?.setSelectionRange(seed.length, seed.length);
  }

  #setQuery(query: string): void {
    this.#query = query;
    this.#searched = undefined;
    this.#active = 0;
  }

  #onKeydown = (event: KeyboardEvent) => {
    const last = this.#results.length - 1;
    const move = (to: number) => {
      event.preventDefault();
      this.#active = Math.max(0, Math.min(last, to));
      this.#scrollPending = true;
      this.#picker.host.requestUpdate();
    };
    switch (event.key) {
      case 'ArrowDown':
        if (event.altKey) return;
        return move(this.#active + 1);
      case 'ArrowUp':
        if (event.altKey) {
          event.preventDefault();
          return this.#picker.hide(true);
        }
        return move(this.#active - 1);
      case 'PageDown':
        return move(this.#active + PAGE);
      case 'PageUp':
        return move(this.#active - PAGE);
      case 'Enter': {
        event.preventDefault();
        const country = this.#results[this.#active];
        if (country) this.#picker.choose(country, true);
        return;
      }
      case 'Escape':
        event.preventDefault();
        event.stopPropagation();
        return this.#picker.hide(true);
      case 'Tab':
        return this.#picker.hide(false);
    }
  };

  #onInput = (event: Event) => {
    this.#setQuery((event.target as HTMLInputElement).value);
    this.#scrollPending = true;
    this.#picker.host.requestUpdate();
  };

  render(m: FormMessages, lang: string, dir: 'ltr' | 'rtl'): TemplateResult {
    const matches = this.#results;
    const active = matches[this.#active];
    const value = this.#picker.value;
    return html`<div class="popup" part="country-popup" dir=${dir}>
      <input
        part="country-search"
        class="country-search"
        type="text"
        role="combobox"
        autocomplete="off"
        spellcheck="false"
        aria-label=${m.countrySearch}
        placeholder=${m.countrySearch}
        aria-autocomplete="list"
        aria-expanded="true"
        aria-controls="fcv-countries"
        aria-activedescendant=${active ? `fcv-country-${active.code}` : nothing}
        lang=${lang}
        .value=${this.#query}
        @input=${this.#onInput}
        @keydown=${this.#onKeydown}
      />
      <ul id="fcv-countries" role="listbox" part="country-list" class="country-list" aria-label=${m.countryList}>
        ${matches.map(
          (c, i) =>
            html`<li
              id="fcv-country-${c.code}"
              role="option"
              part="country-option"
              class="option"
              aria-selected=${i === this.#active ? 'true' : 'false'}
              data-code=${c.code}
              @mousedown=${(e: Event) => e.preventDefault()}
              @click=${() => this.#picker.choose(c, false)}
            >
              <span class="flag" aria-hidden="true">${c.flag}</span>
              <span class="name">${c.name}</span>
              <span class="dial" dir="ltr">+${c.dialCode}</span>
              ${c.code === value ? html`<span class="tick" aria-hidden="true">✓</span>` : nothing}
            </li>`,
        )}
      </ul>
      ${matches.length === 0 ? html`<p class="no-match" role="status">${m.noCountryMatch}</p>` : nothing}
    </div>`;
  }
}
