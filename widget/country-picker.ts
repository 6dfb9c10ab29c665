import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { searchCountries, type Country, type CountryCode } from './countries.js';
import { format, type Messages } from './i18n/messages.js';

type Host = ReactiveControllerHost & HTMLElement & { renderRoot: HTMLElement | DocumentFragment };

export interface CountryPickerOptions {
  /** A country was chosen; `viaKeyboard` tells the host to move focus on to the number. */
  onSelect(code: CountryCode, viaKeyboard: boolean): void;
}

const PAGE = 8;

/**
 * The country picker: a button showing the flag and dial code that opens an editable combobox with a
 * filtered listbox (the WAI-ARIA APG "combobox with listbox popup", list autocomplete, manual selection).
 * Kept in the element's shadow root rather than in an element of its own, so that `aria-controls` and
 * `aria-activedescendant` point at ids in the same tree, as they must.
 */
export class CountryPicker implements ReactiveController {
  open = false;
  query = '';
  active = 0;
  value: CountryCode | undefined;
  #countries: Country[] = [];
  #matches: Country[] = [];
  #scrollPending = false;

  constructor(
    private readonly host: Host,
    private readonly options: CountryPickerOptions,
  ) {
    host.addController(this);
  }

  get countries(): readonly Country[] {
    return this.#countries;
  }

  set countries(list: Country[]) {
    this.#countries = list;
    this.#matches = searchCountries(list, this.query);
  }

  get selected(): Country | undefined {
    return this.#countries.find((c) => c.code === this.value);
  }

  get matches(): readonly Country[] {
    return this.#matches;
  }

  hostDisconnected(): void {
    this.open = false;
  }

  hostUpdated(): void {
    if (!this.#scrollPending) return;
    this.#scrollPending = false;
    const option = this.#root.querySelector<HTMLElement>('[role="option"][aria-selected="true"]');
    option?.scrollIntoView?.({ block: 'nearest' });
  }

  get #root(): ParentNode {
    return this.host.renderRoot;
  }

  async show(seed = ''): Promise<void> {
    this.open = true;
    this.#setQuery(seed);
    // Start on the current country, so opening and pressing Enter changes nothing.
    if (!seed) this.active = Math.max(0, this.#matches.findIndex((c) => c.code === this.value));
    this.#scrollPending = true;
    this.host.requestUpdate();
    await this.host.updateComplete;
    const input = this.#root.querySelector<HTMLInputElement>('[part~="country-search"]');
    input?.focus();
    input?.setSelectionRange(seed.length, seed.length);
  }

  hide(focusButton: boolean): void {
    if (!this.open) return;
    this.open = false;
    this.host.requestUpdate();
    if (focusButton) {
      void this.host.updateComplete.then(() => this.#root.querySelector<HTMLElement>('[part~="country-button"]')?.focus());
    }
  }

  #setQuery(query: string): void {
    this.query = query;
    this.#matches = searchCountries(this.#countries, query);
    this.active = 0;
  }

  #choose(country: Country | undefined, viaKeyboard: boolean): void {
    if (!country) return;
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

  #onSearchKeydown = (event: KeyboardEvent) => {
    const last = this.#matches.length - 1;
    const move = (to: number) => {
      event.preventDefault();
      this.active = Math.max(0, Math.min(last, to));
      this.#scrollPending = true;
      this.host.requestUpdate();
    };
    switch (event.key) {
      case 'ArrowDown':
        if (event.altKey) return;
        return move(this.active + 1);
      case 'ArrowUp':
        if (event.altKey) {
          event.preventDefault();
          return this.hide(true);
        }
        return move(this.active - 1);
      case 'PageDown':
        return move(this.active + PAGE);
      case 'PageUp':
        return move(this.active - PAGE);
      case 'Enter':
        event.preventDefault();
        return this.#choose(this.#matches[this.active], true);
      case 'Escape':
        event.preventDefault();
        event.stopPropagation();
        return this.hide(true);
      case 'Tab':
        this.hide(false);
        return;
    }
  };

  #onSearchInput = (event: Event) => {
    this.#setQuery((event.target as HTMLInputElement).value);
    this.#scrollPending = true;
    this.host.requestUpdate();
  };

  #onFocusOut = (event: FocusEvent) => {
    const next = event.relatedTarget as Node | null;
    const picker = event.currentTarget as HTMLElement;
    if (!next || !picker.contains(next)) this.hide(false);
  };

  render(m: Messages, lang: string, dir: 'ltr' | 'rtl', disabled: boolean, showDialCode: boolean) {
    const selected = this.selected;
    const activeId = this.#matches[this.active] ? `fcv-country-${this.#matches[this.active]!.code}` : undefined;
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
        <span class="flag" aria-hidden="true">${selected?.flag ?? ''}</span>
        ${showDialCode && selected ? html`<span class="dial" dir="ltr" aria-hidden="true">+${selected.dialCode}</span>` : nothing}
        <span class="chevron" aria-hidden="true"></span>
      </button>
      ${this.open
        ? html`<div class="popup" part="country-popup" dir=${dir}>
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
              aria-activedescendant=${activeId ?? nothing}
              lang=${lang}
              .value=${this.query}
              @input=${this.#onSearchInput}
              @keydown=${this.#onSearchKeydown}
            />
            <ul id="fcv-countries" role="listbox" part="country-list" class="country-list" aria-label=${m.countryList}>
              ${this.#matches.map(
                (c, i) => html`<li
                  id="fcv-country-${c.code}"
                  role="option"
                  part="country-option"
                  class="option"
                  aria-selected=${i === this.active ? 'true' : 'false'}
                  data-code=${c.code}
                  @mousedown=${(e: Event) => e.preventDefault()}
                  @click=${() => this.#choose(c, false)}
                >
                  <span class="flag" aria-hidden="true">${c.flag}</span>
                  <span class="name">${c.name}</span>
                  <span class="dial" dir="ltr">+${c.dialCode}</span>
                  ${c.code === this.value ? html`<span class="tick" aria-hidden="true">✓</span>` : nothing}
                </li>`,
              )}
            </ul>
            ${this.#matches.length === 0 ? html`<p class="no-match" role="status">${m.noCountryMatch}</p>` : nothing}
          </div>`
        : nothing}
    </div>`;
  }
}
