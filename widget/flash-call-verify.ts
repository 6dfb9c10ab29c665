import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { addStyles } from './add-styles.js';
import { FcvErrorEvent } from './events.js';
import { countdown } from './flow/countdown.js';
import type { FlowController } from './flow/flow-controller.js';
import type { Channel } from './flow/api.js';
import { FLOW_STATES, activeSession, initialState, type FlowError, type FlowState, type FlowStateName } from './flow/flow-state.js';
import type { FlowView, StatusView } from './flow/flow-view.js';
import { fallbackMessages, formMessages, loadMessages, loadedMessages } from './i18n/load.js';
import { interpolate, type FormMessages, type Messages } from './i18n/messages.js';
import { phoneModule, type PhoneAnalysis, type PhoneLibModule } from './phone/phone.js';
import { PhoneField } from './phone/phone-field.js';
import { orderCountries, parseCountryList, pickDefaultCountry, unnamedCountries } from './picker/countries.js';
import { CountryPicker } from './picker/country-picker.js';
import { preloadPhone } from './preload.js';
import { layoutStyles } from './layout-styles.js';
import { lazy } from './lazy.js';
import { styles } from './styles.js';

/**
 * The flow's owner, with its state machine: fetched after the first paint (the idle form needs neither),
 * and before a number is sent. Until it is in, the flow is where it starts: idle.
 */
const flowCore = lazy(() => import('./flow/flow-controller.js'));

/** Challenge mode's view: fetched only by a control that has a `challenge`, before it first renders. */
const challengeView = lazy(() => import('./challenge/challenge-view.js'));

/** Where the script was served from: the verification server, unless `endpoint` says otherwise. */
const scriptOrigin = (() => {
  try {
    return new URL(import.meta.url).origin;
  } catch {
    return '';
  }
})();

/**
 * Verifies that the user holds a phone number by calling it from a number whose last digits are a
 * one-time code. Drop it into a form: once verified, its value (submitted under `name`) is a single-use
 * token the site's backend redeems with `POST /v1/siteverify`. A call in progress survives a reload of
 * the page in the same tab (its id is kept in `sessionStorage`), and the control keeps its height from
 * state to state, so the page under it does not move.
 *
 * @summary Phone number verification by flash call, form-associated.
 * @tag flash-call-verify
 *
 * @attr site-key - The site's public key (`pk_...`).
 * @attr challenge - A challenge from the site's backend (`POST /v1/challenges`): the control then shows no number field, only
 * the number the site holds, masked, and a button to call it (two-factor confirmation of a login or a payment).
 * @attr endpoint - Base URL of the verification server; defaults to the origin that served the script.
 * @attr default-country - ISO 3166 alpha-2 region to start with; else the region of the page's language.
 * @attr countries - Comma list of the regions offered (all when absent).
 * @attr preferred-countries - Comma list of regions listed first in the picker.
 * @attr name - Name of the token in the form's data.
 * @attr required - The form cannot be submitted until the number is verified.
 * @attr disabled - Disables the control (also when inside a disabled fieldset).
 * @attr lang - Language of the control (23 are built in; any other shows in English); else the nearest ancestor's `lang`, then the page's.
 * @attr channel - How the first code is sent: `flash` (the default), `voice` (a call that says it) or `sms` (a text), among
 * the site's channels. Whatever it is, the site's other channels are offered if the code does not arrive.
 *
 * @fires {FcvStateEvent} fcv-state - The flow moved to another state: `detail.state`.
 * @fires {FcvVerifiedEvent} fcv-verified - The number is verified: `detail.token`, `detail.phone` (E.164; masked in challenge mode).
 * @fires {FcvErrorEvent} fcv-error - Something failed: `detail.code`, `detail.message` (translated), `detail.retryable`.
 *
 * @csspart base - The box around everything.
 * @csspart country-button - The button showing the flag and dial code.
 * @csspart country-popup - The country search popup.
 * @csspart country-search - The country search field.
 * @csspart country-list - The list of countries.
 * @csspart country-option - One country in the list.
 * @csspart phone-input - The phone number field; read-only once a call is placed, showing the number called.
 * @csspart field-error - The message under the number when it is not valid.
 * @csspart verify-button - The button that places the call ("Call my phone" in challenge mode).
 * @csspart challenge-number - Challenge mode: the line naming the masked number that will be called.
 * @csspart message - The progress and result message.
 * @csspart prefix - The caller ID's known digits shown before the code boxes.
 * @csspart digit - One code box.
 * @csspart actions - The row of secondary actions.
 * @csspart resend-button - "Call me again" once the phone rang, the code expired or too many codes were wrong; it counts down to when a new call can be placed.
 * @csspart retry-button - "Try again" after an error (or "Call me again" for a number called a moment ago), in the place of Verify.
 * @csspart change-number - The "change number" link.
 * @csspart fallback-offer - "Didn't get the call?": shows and hides the other ways to get the code (the site's channels).
 * @csspart fallbacks - The group of other ways to get the code, shown after a call rang out or when asked for.
 * @csspart fallback-button - One other way: "Call me and read the code" (also `fallback-voice`) or "Text me the code" (also `fallback-sms`).
 *
 * @cssproperty --fcv-accent - Accent colour: buttons, links, focus rings. Default #1d4ed8 (dark #93c5fd).
 * @cssproperty --fcv-accent-contrast - Text on the accent colour.
 * @cssproperty --fcv-background - Background of the box.
 * @cssproperty --fcv-color - Text colour.
 * @cssproperty --fcv-muted-color - Secondary text.
 * @cssproperty --fcv-border-color - Borders of fields and boxes.
 * @cssproperty --fcv-field-background - Background of fields.
 * @cssproperty --fcv-error-color - Error text and borders.
 * @cssproperty --fcv-success-color - The verified message.
 * @cssproperty --fcv-radius - Corner radius of fields and buttons. Default 0.5rem.
 * @cssproperty --fcv-font - Font family. Default: inherited.
 * @cssproperty --fcv-font-size - Base font size. Default 1rem.
 * @cssproperty --fcv-gap - Space between rows. Default 0.75rem.
 * @cssproperty --fcv-padding - Padding of the box. Default 1rem.
 * @cssproperty --fcv-digit-size - Width of a code box. Default 2.75rem.
 * @cssproperty --fcv-max-width - Maximum width of the control. Default 26rem.
 * @cssproperty --fcv-list-height - Maximum height of the country list. Default 15rem.
 *
 * @cssstate idle - Waiting for a number.
 * @cssstate starting - Asking the server to call.
 * @cssstate calling - The call is being placed.
 * @cssstate ringing - The phone rings (or rang), or the text was sent; the code can be typed.
 * @cssstate switching - Asking for a new code by another channel.
 * @cssstate checking - Checking the typed code.
 * @cssstate verified - Done; the form value is the token.
 * @cssstate expired - The code expired.
 * @cssstate locked - Too many wrong codes.
 * @cssstate error - A failure; see `fcv-error`.
 * @cssstate disabled - Disabled by its attribute or a disabled fieldset.
 */
export class FlashCallVerify extends LitElement {
  static formAssociated = true;
  static override styles = [styles, layoutStyles];
  static override shadowRootOptions: ShadowRootInit = { ...LitElement.shadowRootOptions, delegatesFocus: true };

  static override get observedAttributes(): string[] {
    // `lang` and `dir` are native attributes: watched here rather than redeclared as properties.
    return [...super.observedAttributes, 'lang', 'dir'];
  }

  // Declared here rather than with decorators, whose helpers would weigh on the first render.
  static override properties = {
    siteKey: { attribute: 'site-key' },
    challenge: {},
    channel: {},
    endpoint: {},
    defaultCountry: { attribute: 'default-country' },
    countries: {},
    preferredCountries: { attribute: 'preferred-countries' },
    required: { type: Boolean, reflect: true },
    disabled: { type: Boolean, reflect: true },
    formDisabled: { state: true },
  };

  siteKey = '';
  challenge: string | null = null;
  channel: string | null = null;
  endpoint = scriptOrigin;
  defaultCountry: string | null = null;
  countries: string | null = null;
  preferredCountries: string | null = null;
  required = false;
  disabled = false;

  private formDisabled = false;

  readonly #internals: ElementInternals;
  readonly #picker = new CountryPicker(this, {
    onSelect: (_code, viaKeyboard) => this.#field.regionChosen(viaKeyboard),
  });
  readonly #field = new PhoneField(this, { picker: this.#picker });
  /** The flow, once its chunk is in. */
  #flow: FlowController | undefined;
  /** The views after the call is placed, once the flow's chunk is in. */
  #view: FlowView | undefined;
  /** The state last rendered: focus follows a change. */
  #rendered: FlowState = initialState;
  #hadFocus = false;
  #focusAfterUpdate = false;
  /** Challenge mode's styles are in this control's shadow root. */
  #challengeStyled = false;
  #countryKey = '';

  constructor() {
    super();
    this.#internals = this.attachInternals();
    this.addEventListener('focusin', this.#warmUp);
  }

  /**
   * The flow's owner for this element, created once its chunk is in with every word of the language (English
   * ships only the number form's before), so any state it moves to can be said; its views join once theirs are in.
   */
  #flowReady(): Promise<FlowController> {
    return Promise.all([flowCore.load(), loadMessages(this.#lang)]).then(([core, table]) => {
      if (this.#flow) return this.#flow;
      const flow = new core.FlowController(this, {
        endpoint: () => this.endpoint || scriptOrigin,
        siteKey: () => this.siteKey,
        lang: () => this.#lang,
        messages: () => this.#messages ?? table,
      });
      this.#flow = flow;
      void core.flowParts.arrived.then((parts) => {
        this.#view = new parts.FlowView(this, flow, {
          lang: () => this.#lang,
          // A masked number is shown as the server wrote it.
          number: (digits) => (digits.includes('•') ? digits : this.#field.formatInternational(digits)),
          disabled: () => this.#isDisabled,
          numberFixed: () => this.#challengeMode,
        });
        addStyles(this.renderRoot, parts.flowViewStyles);
        this.requestUpdate();
      });
      return flow;
    });
  }

  /** Where the flow is: idle until its owner is in. */
  get #state(): FlowState {
    return this.#flow?.state ?? initialState;
  }

  /**
   * Fetches what typing and verifying need: on first focus, or just after the first paint. Not before it: starting
   * a request costs the main thread a few milliseconds, which the first paint would wait for.
   */
  #warmUp = () => {
    // Typing first, its files fetched side by side; the flow and the popup in a task of their own once it is in,
    // so that whatever awaits typing runs before they are fetched and run.
    preloadPhone(this.#picker.selected?.dialCode);
    void this.phoneReady
      .catch(() => undefined)
      .then(() =>
        setTimeout(() => {
          void this.#flowReady()
            .then((flow) => flow.prefetch())
            .catch(() => undefined);
          void this.#picker.popupReady().catch(() => undefined);
        }),
      );
  };

  /** Where the flow is. */
  get state(): FlowStateName {
    return this.#state.name;
  }

  /** The token once verified, else the empty string. */
  get value(): string {
    const flow = this.#state;
    return flow.name === 'verified' ? flow.token : '';
  }

  /** The verified number (E.164; masked in challenge mode) once verified, else the empty string. */
  get phone(): string {
    const flow = this.#state;
    return flow.name === 'verified' ? flow.phone : '';
  }

  get name(): string {
    return this.getAttribute('name') ?? '';
  }
  set name(value: string) {
    this.setAttribute('name', value);
  }

  get form(): HTMLFormElement | null {
    return this.#internals.form;
  }
  get validity(): ValidityState {
    return this.#internals.validity;
  }
  get validationMessage(): string {
    return this.#internals.validationMessage;
  }
  get willValidate(): boolean {
    return this.#internals.willValidate;
  }
  checkValidity(): boolean {
    return this.#internals.checkValidity();
  }
  reportValidity(): boolean {
    return this.#internals.reportValidity();
  }

  /** Back to an empty number form: the token is dropped, requests and the event stream closed. */
  reset(): void {
    this.#field.reset();
    this.#picker.value = undefined;
    this.#countryKey = '';
    this.#flow?.send({ type: 'reset' });
  }

  /** Resolves once the phone metadata of the selected region is loaded; typing is formatted from then on. */
  get phoneReady(): Promise<PhoneLibModule> {
    return this.#field.ready();
  }

  formResetCallback(): void {
    this.reset();
  }

  formDisabledCallback(disabled: boolean): void {
    this.formDisabled = disabled;
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    if (name === 'lang' || name === 'dir') this.requestUpdate();
  }

  get #lang(): string {
    return (
      this.getAttribute('lang') ||
      this.closest('[lang]')?.getAttribute('lang') ||
      document.documentElement.lang ||
      navigator.language ||
      'en'
    );
  }

  /** The words of the number form, in the control's language (English while its chunk is on its way or out of reach). */
  get #words(): FormMessages {
    return formMessages(this.#lang) ?? fallbackMessages;
  }

  /** Every word, once the language's table is in: before the first render in most languages, with the flow in English. */
  get #messages(): Messages | undefined {
    return loadedMessages(this.#lang) ?? loadedMessages('en');
  }

  get #dir(): 'ltr' | 'rtl' {
    const own = this.getAttribute('dir');
    if (own === 'ltr' || own === 'rtl') return own;
    if (this.hasAttribute('lang')) return this.#words.dir;
    const inherited = this.closest('[dir]')?.getAttribute('dir');
    return inherited === 'rtl' || inherited === 'ltr' ? inherited : this.#words.dir;
  }

  /** The first code's channel, when the page names one the element knows; the server decides whether the site allows it. */
  get #channel(): { channel?: Channel } {
    const channel = this.channel?.trim().toLowerCase();
    return channel === 'voice' || channel === 'sms' || channel === 'flash' ? { channel } : {};
  }

  /** A challenge names the number: no field, no picker, no changing it. */
  get #challengeMode(): boolean {
    return !!this.challenge;
  }

  get #isDisabled(): boolean {
    return this.disabled || this.formDisabled;
  }

  // ---- rendering ------------------------------------------------------------------------------

  protected override scheduleUpdate(): void | Promise<unknown> {
    const missing = this.#missing();
    if (!missing) return super.scheduleUpdate();
    return missing.then(
      () => super.scheduleUpdate(),
      () => super.scheduleUpdate(),
    );
  }

  /**
   * What the next render waits for rather than flashing something else first: a language not fetched yet
   * (English first); with a challenge, its view; with a challenge or a flow under way, every word of the language;
   * whatever the views after a submit wait for (see FlowView.pending).
   */
  #missing(): Promise<unknown> | undefined {
    const lang = this.#lang;
    const waits: Promise<unknown>[] = [];
    if (!formMessages(lang) || ((this.#flow || this.challenge) && !loadedMessages(lang))) waits.push(loadMessages(lang));
    if (this.challenge && !this.#challengeStyled) {
      waits.push(
        challengeView.load().then((view) => {
          if (this.#challengeStyled) return;
          this.#challengeStyled = true;
          addStyles(this.renderRoot, [view.challengeStyles]);
        }),
      );
    }
    const view = this.#view?.pending();
    if (view) waits.push(view);
    return waits.length ? Promise.all(waits) : undefined;
  }

  protected override firstUpdated(): void {
    requestAnimationFrame(() => setTimeout(this.#warmUp));
  }

  protected override willUpdate(changed: PropertyValues): void {
    const lang = this.#lang;
    const naming = this.#picker.naming;
    const key = `${lang}|${this.countries ?? ''}|${this.preferredCountries ?? ''}|${this.defaultCountry ?? ''}|${!!naming}`;
    if (key !== this.#countryKey) {
      this.#countryKey = key;
      const all = naming ? naming(lang) : unnamedCountries();
      const usable = orderCountries(all, parseCountryList(this.countries), parseCountryList(this.preferredCountries));
      this.#picker.countries = usable;
      if (!usable.some((c) => c.code === this.#picker.value) || changed.has('defaultCountry')) {
        this.#picker.value = pickDefaultCountry(this.defaultCountry, lang, usable);
      }
    }
    const flow = this.#state;
    if (flow.name !== this.#rendered.name) {
      this.#focusAfterUpdate = true;
      this.#holdHeight(flow.name);
    }
    this.#rendered = flow;
    // Another challenge is another intent: whatever the flow was doing was about the old one.
    if (changed.has('challenge') && changed.get('challenge') != null && flow.name !== 'idle') this.#flow?.send({ type: 'reset' });
    // A call picked up after a reload: its number shows where it was typed.
    const number = this.#flowNumber;
    if (!this.#editable && number && !this.#challengeMode) this.#field.showCalled(number);
    this.#hadFocus = this.matches(':focus-within');
  }

  protected override updated(): void {
    // Through the CSSOM, which a page's Content-Security-Policy allows where it may refuse style attributes.
    this.renderRoot.querySelector<HTMLElement>('.base')!.style.minBlockSize = this.#heldHeight ? `${this.#heldHeight}px` : '';
    this.#syncForm();
    this.#syncStates();
    if (this.#focusAfterUpdate) {
      this.#focusAfterUpdate = false;
      if (this.#hadFocus || this.matches(':focus-within')) this.#focusForState();
    }
  }

  override render(): TemplateResult {
    const words = this.#words;
    // Every word is in by the time anything but the number form shows (see #flowReady and #missing).
    const m = this.#messages;
    const view = m && this.#view;
    // The number stays in sight in every state, so the control keeps its shape as the flow moves on.
    return html`<div part="base" class="base" dir=${this.#dir} lang=${this.#lang} role="group" aria-label=${words.label}>
      ${this.#renderForm(words, m)} ${this.#renderStatus((m && (view?.status(m) ?? this.#formStatus(m))) || { text: '' })}
      ${view && activeSession(this.#state) ? html`<div class="code-area">${view.code(m)}</div>` : nothing}
      ${this.#editable && this.#state.name !== 'error' ? html`<p class="hint how">${this.#challengeMode ? m?.challengeHow : words.how}</p>` : nothing}
      ${m && this.#state.name === 'error' ? this.#errorActions(m) : view ? view.actions(m) : nothing}
    </div>`;
  }

  /** The height the control keeps, in px: 0 lets it take its own. */
  #heldHeight = 0;

  /**
   * Once a number is sent the control does not shrink (the page under it would jump up), whatever the next
   * state shows, until it is back to an empty form; it grows only as much as a state needs more room.
   */
  #holdHeight(next: FlowStateName): void {
    const base = this.renderRoot.querySelector<HTMLElement>('.base');
    this.#heldHeight = next === 'idle' || !base ? 0 : Math.max(this.#heldHeight, base.getBoundingClientRect().height);
  }

  /** Whether the number can be edited: until a call is placed, and after failing to place one. */
  get #editable(): boolean {
    const flow = this.#state;
    return flow.name === 'idle' || flow.name === 'starting' || (flow.name === 'error' && !flow.session);
  }

  /** The number the flow is about, once a call was asked for. */
  get #flowNumber(): string | undefined {
    const flow = this.#state;
    return flow.name === 'verified'
      ? flow.phone
      : 'session' in flow && flow.session
        ? flow.session.phone
        : 'request' in flow && flow.request && 'phone' in flow.request
          ? flow.request.phone
          : undefined;
  }

  #renderForm(words: FormMessages, m: Messages | undefined): TemplateResult {
    if (this.#challengeMode) return this.#renderChallenge(words, m);
    const flow = this.#state;
    const busy = flow.name === 'starting';
    const fixed = busy || !this.#editable;
    const disabled = this.#isDisabled;
    const problem = this.#fieldMessage(words, m);
    // One next step at a time: Verify, or "Try again" after a failure (editing the number brings Verify back).
    const step =
      m && flow.name === 'error' && flow.error.retryable
        ? this.#retryButton(m, flow.error)
        : this.#editable
          ? html`<button
              part="verify-button"
              class="primary"
              type="submit"
              ?disabled=${disabled || busy}
              aria-disabled=${busy ? 'true' : nothing}
            >
              ${words.verify}
            </button>`
          : nothing;
    return html`<form novalidate @submit=${this.#onSubmit}>
      <label for="phone" class=${fixed && !busy ? 'hidden-label' : ''}>${words.phoneLabel}</label>
      <div class="row" dir="ltr">
        ${this.#picker.render(words, this.#lang, this.#dir, disabled || fixed, !this.#field.international)}
        <div class="field">
          <input
            id="phone"
            part="phone-input"
            class="phone"
            type="tel"
            dir="ltr"
            autocomplete="tel"
            inputmode="tel"
            enterkeyhint="go"
            aria-invalid=${problem ? 'true' : 'false'}
            aria-describedby=${problem ? 'phone-error' : nothing}
            ?disabled=${disabled}
            ?readonly=${fixed}
            @input=${this.#onPhoneInput}
            @paste=${this.#onPhonePaste}
            @change=${this.#onPhoneChange}
          />
        </div>
      </div>
      ${problem ? html`<p id="phone-error" part="field-error" class="hint invalid">${problem}</p>` : nothing} ${step}
    </form>`;
  }

  /** Challenge mode: its view, which comes with every word; said to be out of reach if it could not be fetched. */
  #renderChallenge(words: FormMessages, m: Messages | undefined): TemplateResult {
    const view = challengeView.loaded();
    if (!view || !m) return html`<p part="field-error" class="hint invalid">${words.errors.network}</p>`;
    return view.challengeForm(m, {
      challenge: this.challenge ?? '',
      state: this.#state,
      editable: this.#editable,
      disabled: this.#isDisabled,
      problem: this.#fieldMessage(words, m),
      retryButton: (error) => this.#retryButton(m, error),
      submit: this.#onSubmit,
    });
  }

  /** The message line of the states before the call is placed, shown whether or not the flow's chunk is in. */
  #formStatus(m: Messages): StatusView {
    const flow = this.#state;
    switch (flow.name) {
      case 'starting':
        return { indicator: html`<span class="spinner" aria-hidden="true"></span>`, text: m.starting };
      case 'error':
        // A number called a moment ago is news, not a failure: said plainly, the button counting down.
        return flow.error.limit === 'resend' ? { text: m.justCalled } : { text: m.errors[flow.error.code], tone: 'error' };
      default:
        return { text: '' };
    }
  }

  /** One template for every state, so the live region stays the same element from state to state. */
  #renderStatus({ indicator, text, tone }: StatusView): TemplateResult {
    return html`<div class="status-line">
      ${indicator ?? nothing}
      <p part="message" class="message ${tone ?? ''}" role="status" tabindex="-1">${text}</p>
    </div>`;
  }

  /**
   * "Try again" after a failure, counting down while the server asks to wait; after a call to the same
   * number a moment ago, "Call me again" once the server would place one.
   */
  #retryButton(m: Messages, error: FlowError): TemplateResult {
    const wait = (error.retryAt ?? 0) - (this.#flow?.now ?? Date.now());
    const resend = error.limit === 'resend';
    const label =
      wait > 0 ? interpolate(resend ? m.callAgainIn : m.tryAgainIn, { time: countdown(wait, this.#lang) }) : resend ? m.resend : m.tryAgain;
    return html`<button type="button" part="retry-button" class="primary" ?disabled=${this.#isDisabled || wait > 0} @click=${this.#retry}>
      ${label}
    </button>`;
  }

  /** "Change number" once a call was placed. */
  #errorActions(m: Messages): TemplateResult | typeof nothing {
    const flow = this.#state;
    return flow.name === 'error' && flow.session && !this.#challengeMode
      ? html`<div part="actions" class="actions">
          <button type="button" part="change-number" class="link" @click=${() => this.#flow?.send({ type: 'reset' })}>
            ${m.changeNumber}
          </button>
        </div>`
      : nothing;
  }

  #fieldMessage(words: FormMessages, m: Messages | undefined): string | undefined {
    const flow = this.#state;
    return m && flow.name === 'idle' && flow.fieldError ? m.errors[flow.fieldError] : this.#field.message(words);
  }

  // ---- the number ------------------------------------------------------------------------------

  #onPhonePaste = (event: ClipboardEvent) => {
    if (this.#field.onPaste(event)) this.#phoneEdited();
  };

  #onPhoneInput = (event: Event) => {
    this.#phoneEdited();
    this.#field.onInput(event as InputEvent);
  };

  #onPhoneChange = () => {
    // (Also fired as the form leaves the page for the code entry, when there is nothing left to show.)
    if (this.#editable) this.#field.onChange();
  };

  /** Back to Verify: a failure to place the call, or a problem with the number, was about the number as it was. */
  #phoneEdited(): void {
    const flow = this.#state;
    if ((flow.name === 'idle' && flow.fieldError) || flow.name === 'error') this.#flow?.send({ type: 'reset' });
  }

  #onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (this.#isDisabled || this.#state.name === 'starting' || !this.#editable) return;
    if (this.#challengeMode) return this.#startChallenge();
    const country = this.#picker.value;
    const flowReady = this.#flowReady();
    flowReady.catch(() => undefined);
    let lib: PhoneLibModule;
    let clean: string;
    let result: PhoneAnalysis;
    try {
      lib = phoneModule.loaded() ?? (await phoneModule.load());
      clean = this.#field.clean(lib);
      // Waits for the metadata of the number's calling code, however it was typed.
      result = await lib.analyse(clean, country);
    } catch {
      return this.#unreachable();
    }
    // Edited, or submitted again, while the metadata was on its way: the newer state wins.
    if (this.state === 'starting' || this.#field.clean(lib) !== clean) return;
    const problem = result.problem ?? (result.country && !this.#picker.allows(result.country) ? 'country_not_allowed' : undefined);
    if (problem) {
      this.#field.report(problem);
      await this.updateComplete;
      this.#field.focus();
      return;
    }
    const request = { siteKey: this.siteKey, phone: result.e164!, country: result.country ?? country, lang: this.#lang, ...this.#channel };
    let flow: FlowController;
    try {
      flow = await flowReady;
    } catch {
      return this.#unreachable();
    }
    flow.send({ type: 'submit', request });
  };

  /** Challenge mode needs no phone library: the server reads the number from the challenge. */
  async #startChallenge(): Promise<void> {
    if (!challengeView.loaded()?.maskedNumber(this.challenge ?? '')) return;
    const request = { siteKey: this.siteKey, challenge: this.challenge!, lang: this.#lang, ...this.#channel };
    let flow: FlowController;
    try {
      flow = await this.#flowReady();
    } catch {
      return this.#unreachable();
    }
    flow.send({ type: 'submit', request });
  }

  /**
   * The phone module, its metadata or the flow could not be fetched: as good as the service being out of
   * reach, said beside the number; the next submit fetches them again.
   */
  #unreachable(): void {
    const error = { code: 'network', retryable: true } as const;
    if (this.#flow) return this.#flow.send({ type: 'failed', error });
    this.#field.report('network');
    this.dispatchEvent(new FcvErrorEvent({ ...error, message: this.#words.errors.network }));
  }

  #retry = () => this.#flow?.send({ type: 'retry', now: Date.now() });

  #syncForm(): void {
    const verified = this.state === 'verified';
    this.#internals.setFormValue(verified ? this.value : null);
    if (this.required && !verified) {
      const anchor =
        this.renderRoot.querySelector<HTMLElement>('#phone') ??
        this.renderRoot.querySelector<HTMLElement>('input.digit') ??
        this.renderRoot.querySelector<HTMLElement>('button') ??
        undefined;
      this.#internals.setValidity({ valueMissing: true }, this.#words.required, anchor);
    } else {
      this.#internals.setValidity({});
    }
  }

  #syncStates(): void {
    const states = this.#internals.states;
    if (!states) return;
    for (const name of FLOW_STATES) {
      if (name === this.state) states.add(name);
      else states.delete(name);
    }
    if (this.#isDisabled) states.add('disabled');
    else states.delete('disabled');
  }

  #focusForState(): void {
    const root = this.renderRoot;
    const pick = (selector: string) => root.querySelector<HTMLElement>(selector);
    switch (this.state) {
      case 'idle':
        return (pick('#phone') ?? pick('[part~="verify-button"]'))?.focus();
      case 'calling':
      case 'ringing':
        return this.#view?.focusCode();
      case 'checking':
      case 'switching':
      case 'starting':
        return;
      default:
        return (pick('[part~="retry-button"]') ?? pick('[part~="resend-button"]') ?? pick('[part~="message"]'))?.focus();
    }
  }
}
