import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { addStyles } from './add-styles.js';
import type { ApiClient, StartRequest } from './flow/api.js';
import type { CallFlow, FlowHost, StatusView } from './flow/call-flow.js';
import { orderCountries, parseCountryList, pickDefaultCountry, unnamedCountries } from './picker/countries.js';
import { CountryPicker } from './picker/country-picker.js';
import { FcvErrorEvent, FcvStateEvent } from './events.js';
import { fallbackMessages, loadMessages, loadedMessages } from './i18n/load.js';
import { format, type ErrorCode, type Messages } from './i18n/messages.js';
import { FLOW_STATES, initialState, type FlowError, type FlowEvent, type FlowState } from './flow/flow-state.js';
import { loadPhoneLib, phoneLibLoaded, type PhoneAnalysis, type PhoneLibModule, type PhoneProblem } from './phone/phone.js';
import type { PhoneTyping, TypingHost } from './phone/phone-typing.js';
import { styles } from './styles.js';

/** Where the script was served from: the verification server, unless `endpoint` says otherwise. */
const scriptOrigin = (() => {
  try {
    return new URL(import.meta.url).origin;
  } catch {
    return '';
  }
})();

type Remote = typeof import('./flow/remote.js');
let remote: Remote | undefined;
let remoteLoading: Promise<Remote> | undefined;

/** The network half of the element, fetched after the first paint; a failed fetch may be retried. */
function loadRemote(): Promise<Remote> {
  remoteLoading ??= import('./flow/remote.js').then(
    (module) => (remote = module),
    (error: unknown) => {
      remoteLoading = undefined;
      throw error;
    },
  );
  return remoteLoading;
}

type CallFlowModule = typeof import('./flow/call-flow.js');
let callFlowLoading: Promise<CallFlowModule> | undefined;

/** The flow after a submit, with the code boxes, fetched after the first paint; a failed fetch may be retried. */
function loadCallFlow(): Promise<CallFlowModule> {
  callFlowLoading ??= import('./flow/call-flow.js').catch((error: unknown) => {
    callFlowLoading = undefined;
    throw error;
  });
  return callFlowLoading;
}

const NETWORK_ERROR: FlowError = { code: 'network', retryable: true };

/**
 * Verifies that the user holds a phone number by calling it from a number whose last digits are a
 * one-time code. Drop it into a form: once verified, its value (submitted under `name`) is a single-use
 * token the site's backend redeems with `POST /v1/siteverify`.
 *
 * @summary Phone number verification by flash call, form-associated.
 * @tag flash-call-verify
 *
 * @attr site-key - The site's public key (`pk_...`).
 * @attr endpoint - Base URL of the verification server; defaults to the origin that served the script.
 * @attr default-country - ISO 3166 alpha-2 region to start with; else the region of the page's language.
 * @attr countries - Comma list of the regions offered (all when absent).
 * @attr preferred-countries - Comma list of regions listed first in the picker.
 * @attr name - Name of the token in the form's data.
 * @attr required - The form cannot be submitted until the number is verified.
 * @attr disabled - Disables the control (also when inside a disabled fieldset).
 * @attr lang - Language of the control; else the page's.
 *
 * @fires {FcvStateEvent} fcv-state - The flow moved to another state: `detail.state`.
 * @fires {FcvVerifiedEvent} fcv-verified - The number is verified: `detail.token`, `detail.phone` (E.164).
 * @fires {FcvErrorEvent} fcv-error - Something failed: `detail.code`, `detail.message` (translated), `detail.retryable`.
 *
 * @csspart base - The box around everything.
 * @csspart country-button - The button showing the flag and dial code.
 * @csspart country-popup - The country search popup.
 * @csspart country-search - The country search field.
 * @csspart country-list - The list of countries.
 * @csspart country-option - One country in the list.
 * @csspart phone-input - The phone number field.
 * @csspart field-error - The message under the number when it is not valid.
 * @csspart verify-button - The button that places the call.
 * @csspart message - The progress and result message.
 * @csspart prefix - The caller ID's known digits shown before the code boxes.
 * @csspart digit - One code box.
 * @csspart actions - The row of secondary actions.
 * @csspart resend-button - "Call me again".
 * @csspart retry-button - "Try again" after an error.
 * @csspart change-number - The "change number" link.
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
 * @cssstate ringing - The phone rings (or rang); the code can be typed.
 * @cssstate checking - Checking the typed code.
 * @cssstate verified - Done; the form value is the token.
 * @cssstate expired - The code expired.
 * @cssstate locked - Too many wrong codes.
 * @cssstate error - A failure; see `fcv-error`.
 * @cssstate disabled - Disabled by its attribute or a disabled fieldset.
 */
export class FlashCallVerify extends LitElement {
  static formAssociated = true;
  static override styles = styles;
  static override shadowRootOptions: ShadowRootInit = { ...LitElement.shadowRootOptions, delegatesFocus: true };

  static override get observedAttributes(): string[] {
    // `lang` and `dir` are native attributes: watched here rather than redeclared as properties.
    return [...super.observedAttributes, 'lang', 'dir'];
  }

  @property({ attribute: 'site-key' }) siteKey = '';
  @property() endpoint = scriptOrigin;
  @property({ attribute: 'default-country' }) defaultCountry: string | null = null;
  @property() countries: string | null = null;
  @property({ attribute: 'preferred-countries' }) preferredCountries: string | null = null;
  @property({ type: Boolean, reflect: true }) required = false;
  @property({ type: Boolean, reflect: true }) disabled = false;

  @state() private flow: FlowState = initialState;
  @state() private phoneText = '';
  @state() private phoneProblem: PhoneProblem | 'country_not_allowed' | 'network' | undefined;
  /** The number field holds an international number, so the picker shows only the flag. */
  @state() private international = false;
  @state() private formDisabled = false;

  readonly #internals: ElementInternals;
  readonly #picker = new CountryPicker(this, {
    onSelect: (_code, viaKeyboard) => this.#countryChosen(viaKeyboard),
  });
  /** The flow after a submit, once its chunk is in. */
  #callFlow: CallFlow | undefined;
  #request: AbortController | undefined;
  #hadFocus = false;
  #focusAfterUpdate = false;
  #countryKey = '';
  /** Formatting as typed, once the phone module is in. */
  #typing: PhoneTyping | undefined;
  /** Whether the number shown as typed, waiting for the phone module, is to be read whole (pasted, autofilled). */
  #typedBulk = true;

  constructor() {
    super();
    this.#internals = this.attachInternals();
    this.addEventListener('focusin', this.#warmUp);
  }

  /** Fetches what typing and verifying need: on first focus, or just after the first paint. */
  #warmUp = () => {
    void loadPhoneLib()
      .then((lib) => this.#loadRegion(lib))
      .catch(() => undefined);
    void loadRemote().catch(() => undefined);
    void this.#callFlowReady().catch(() => undefined);
    void this.#picker.popupReady().catch(() => undefined);
  };

  /** Where the flow is. */
  get state(): FlowState['name'] {
    return this.flow.name;
  }

  /** The token once verified, else the empty string. */
  get value(): string {
    return this.flow.name === 'verified' ? this.flow.token : '';
  }

  /** The verified number (E.164) once verified, else the empty string. */
  get phone(): string {
    return this.flow.name === 'verified' ? this.flow.phone : '';
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
    this.phoneText = '';
    this.phoneProblem = undefined;
    this.international = false;
    this.#picker.value = undefined;
    this.#countryKey = '';
    this.#send({ type: 'reset' });
  }

  /** Resolves once the phone metadata of the selected region is loaded; typing is formatted from then on. */
  get phoneReady(): Promise<PhoneLibModule> {
    // Another calling code's metadata follows when a number of it is typed or its region picked.
    return loadPhoneLib().then((lib) => this.#loadRegion(lib).then(() => lib));
  }

  formResetCallback(): void {
    this.reset();
  }

  formDisabledCallback(disabled: boolean): void {
    this.formDisabled = disabled;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Whichever attempt brings the phone module in (first paint, focus, a submit after a failed fetch).
    void phoneLibLoaded().then((lib) => (this.#typing ??= new lib.PhoneTyping(this.#typingHost(), lib, this.#typedBulk)));
    // Back in the page (moved, or re-inserted): pick up where the flow was; the call flow resumes the rest.
    if (this.flow.name === 'starting') this.#start(this.flow.request);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#request?.abort();
    this.#request = undefined;
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

  get #messages(): Messages {
    return loadedMessages(this.#lang) ?? fallbackMessages;
  }

  get #dir(): 'ltr' | 'rtl' {
    const own = this.getAttribute('dir');
    if (own === 'ltr' || own === 'rtl') return own;
    if (this.hasAttribute('lang')) return this.#messages.dir;
    const inherited = this.closest('[dir]')?.getAttribute('dir');
    return inherited === 'rtl' || inherited === 'ltr' ? inherited : this.#messages.dir;
  }

  get #isDisabled(): boolean {
    return this.disabled || this.formDisabled;
  }

  /** Fetches the metadata of the selected region's calling code. */
  #loadRegion(lib: PhoneLibModule): Promise<void> {
    const load = lib.loadRegion(this.#picker.value);
    this.#typing?.awaitArrivals();
    return load;
  }

  /** What the formatting as typed may see and do of this element. */
  #typingHost(): TypingHost {
    return {
      field: () => this.renderRoot.querySelector<HTMLInputElement>('#phone'),
      focused: (field) => document.activeElement === this && this.shadowRoot?.activeElement === field,
      text: () => this.phoneText,
      show: (text, international) => {
        this.phoneText = text;
        this.international = international;
      },
      region: () => this.#picker.value,
      dialCode: () => this.#picker.selected?.dialCode,
      selectRegion: (region) => (this.#picker.value = region),
      allowed: (region) => this.#allowed(region),
      notAllowed: () => (this.phoneProblem = 'country_not_allowed'),
      requestUpdate: () => this.requestUpdate(),
    };
  }

  /** The call flow, its chunk fetched (once) and its styles added to this element's. */
  #callFlowReady(): Promise<CallFlow> {
    if (this.#callFlow) return Promise.resolve(this.#callFlow);
    return loadCallFlow().then((module) => {
      if (!this.#callFlow) {
        this.#callFlow = new module.CallFlow(this.#flowHost());
        addStyles(this.renderRoot, module.callFlowStyles);
      }
      return this.#callFlow;
    });
  }

  /** What the call flow may see and do of this element, its private state staying private. */
  #flowHost(): FlowHost {
    return {
      element: this,
      flow: () => this.flow,
      moveTo: (next) => this.#moveTo(next),
      lang: () => this.#lang,
      messages: () => this.#messages,
      disabled: () => this.#isDisabled,
      client: () => this.#client(),
      newSignal: () => this.#newSignal(),
      start: (request, previous) => this.#enterStarting(request, previous),
      number: (digits) => this.#international(digits),
      focusAfterUpdate: () => (this.#focusAfterUpdate = true),
    };
  }

  /** A client for the current endpoint, once the network module is in. */
  #client(): Promise<ApiClient> {
    const endpoint = this.endpoint || scriptOrigin;
    return loadRemote().then((r) => new r.ApiClient(endpoint));
  }

  // ---- rendering ------------------------------------------------------------------------------

  protected override scheduleUpdate(): void | Promise<unknown> {
    // A control in a language not fetched yet waits for it, rather than flashing English first.
    const lang = this.#lang;
    if (loadedMessages(lang)) return super.scheduleUpdate();
    return loadMessages(lang).then(() => super.scheduleUpdate());
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
    this.#hadFocus = this.matches(':focus-within');
  }

  protected override updated(): void {
    this.#syncField();
    this.#syncForm();
    this.#syncStates();
    if (this.#focusAfterUpdate) {
      this.#focusAfterUpdate = false;
      if (this.#hadFocus || this.matches(':focus-within')) this.#focusForState();
    }
  }

  override render(): TemplateResult {
    const m = this.#messages;
    const flow = this.#callFlow;
    return html`<div part="base" class="base" dir=${this.#dir} lang=${this.#lang} role="group" aria-label=${m.label}>
      ${this.#showsForm ? this.#renderForm(m) : nothing}
      ${this.#renderStatus(flow?.status(m) ?? this.#status(m))}
      ${flow ? flow.code(m) : nothing}
      ${flow ? flow.actions(m) : this.#renderRetry(m)}
    </div>`;
  }

  get #showsForm(): boolean {
    const flow = this.flow;
    return flow.name === 'idle' || flow.name === 'starting' || (flow.name === 'error' && !flow.session);
  }

  #renderForm(m: Messages): TemplateResult {
    const busy = this.flow.name === 'starting';
    const disabled = this.#isDisabled;
    const problem = this.#fieldMessage(m);
    return html`<form novalidate @submit=${this.#onSubmit}>
      <label for="phone">${m.phoneLabel}</label>
      <div class="row" dir="ltr">
        ${this.#picker.render(m, this.#lang, this.#dir, disabled || busy, !this.international)}
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
            ?readonly=${busy}
            @input=${this.#onPhoneInput}
            @paste=${this.#onPhonePaste}
            @change=${this.#onPhoneChange}
          />
        </div>
      </div>
      ${problem ? html`<p id="phone-error" part="field-error" class="hint invalid">${problem}</p>` : nothing}
      <button part="verify-button" class="primary" type="submit" ?disabled=${disabled || busy} aria-disabled=${busy ? 'true' : nothing}>
        ${m.verify}
      </button>
    </form>`;
  }

  /** The message line of the states the element handles without the call flow: the form's own. */
  #status(m: Messages): StatusView {
    switch (this.flow.name) {
      case 'starting':
        return { indicator: html`<span class="spinner" aria-hidden="true"></span>`, text: m.starting };
      case 'error':
        return { text: m.errors[this.flow.error.code], tone: 'error' };
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

  /** "Try again" when the call flow could not be fetched; once it is in, it renders the actions. */
  #renderRetry(m: Messages): TemplateResult | typeof nothing {
    const flow = this.flow;
    if (flow.name !== 'error' || !flow.error.retryable) return nothing;
    return html`<div part="actions" class="actions">
      <button type="button" part="retry-button" class="primary" ?disabled=${this.#isDisabled} @click=${this.#retry}>${m.tryAgain}</button>
    </div>`;
  }

  /** A number or a caller-ID prefix grouped in international form; as it is until its metadata is in. */
  #international(digits: string): string {
    return this.#typing?.international(digits) ?? digits;
  }

  #fieldMessage(m: Messages): string | undefined {
    if (this.flow.name === 'idle' && this.flow.fieldError) return m.errors[this.flow.fieldError];
    switch (this.phoneProblem) {
      case undefined:
        return undefined;
      case 'empty':
        return m.phoneEmpty;
      case 'too_short':
        return m.phoneTooShort;
      case 'too_long':
        return m.phoneTooLong;
      case 'country_not_allowed':
        return m.errors.country_not_allowed;
      case 'network':
        return m.errors.network;
      case 'invalid':
        return format(m.phoneInvalid, { country: this.#picker.selected?.name ?? '' });
    }
  }

  // ---- the number ------------------------------------------------------------------------------

  #onPhonePaste = (event: ClipboardEvent) => {
    // Until formatting is in, the browser pastes and the input event follows.
    if (!this.#typing) return;
    this.#phoneEdited();
    this.#typing.onPaste(event);
  };

  #onPhoneInput = (event: Event) => {
    this.#phoneEdited();
    if (this.#typing) return this.#typing.onInput(event as InputEvent);
    // Shown as typed until the phone module is in, which formats it then.
    const { value } = event.target as HTMLInputElement;
    const inputType = (event as InputEvent).inputType;
    this.#typedBulk = !inputType || inputType.startsWith('insertFrom') || inputType === 'insertReplacementText';
    this.phoneText = value;
    this.international = value.trimStart().startsWith('+');
  };

  #onPhoneChange = () => {
    // (Also fired as the form leaves the page for the code entry, when there is nothing left to show.)
    if (this.#showsForm) this.#typing?.onChange();
  };

  /** An edit clears what was said about the number before. */
  #phoneEdited(): void {
    this.phoneProblem = undefined;
    if (this.flow.name === 'idle' && this.flow.fieldError) this.#send({ type: 'reset' });
  }

  #allowed(country: string): boolean {
    return this.#picker.countries.some((c) => c.code === country);
  }

  #countryChosen(viaKeyboard: boolean): void {
    this.international = false;
    this.phoneProblem = undefined;
    const typing = this.#typing;
    if (typing) {
      void this.#loadRegion(typing.lib).catch(() => undefined);
      typing.regionChosen();
    }
    this.requestUpdate();
    if (viaKeyboard) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('#phone')?.focus());
  }

  #onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (this.#isDisabled || this.flow.name === 'starting') return;
    const country = this.#picker.value;
    const cleaned = (lib: PhoneLibModule) => lib.cleanPhoneInput(this.phoneText, this.#picker.selected?.dialCode);
    let lib: PhoneLibModule;
    let clean: string;
    let result: PhoneAnalysis;
    try {
      lib = this.#typing?.lib ?? (await loadPhoneLib());
      clean = cleaned(lib);
      // Waits for the metadata of the number's calling code, however it was typed.
      result = await lib.analyse(clean, country);
    } catch {
      // The phone module or its metadata could not be fetched: as good as the service being out of reach.
      this.phoneProblem = 'network';
      this.#error('network', this.#messages.errors.network, true);
      return;
    }
    // Edited, or submitted again, while the metadata was on its way: the newer state wins.
    if (this.state === 'starting' || cleaned(lib) !== clean) return;
    const problem = result.problem ?? (result.country && !this.#allowed(result.country) ? 'country_not_allowed' : undefined);
    if (problem) {
      this.phoneProblem = problem;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>('#phone')?.focus();
      return;
    }
    const request: StartRequest = { siteKey: this.siteKey, phone: result.e164!, country: result.country ?? country, lang: this.#lang };
    this.#send({ type: 'submit', request });
  };

  #retry = () => this.#send({ type: 'retry', now: Date.now() });

  // ---- the flow --------------------------------------------------------------------------------

  #send(event: FlowEvent): void {
    if (this.#callFlow) return this.#callFlow.send(event);
    // Until the call flow is in, the form is all there is: it submits, is reset, or tries again after failing to reach the service.
    const flow = this.flow;
    if (event.type === 'reset') {
      if (flow !== initialState) this.#moveTo(initialState);
    } else if (event.type === 'submit' && (flow.name === 'idle' || flow.name === 'error')) {
      this.#enterStarting(event.request, flow);
    } else if (event.type === 'retry' && flow.name === 'error' && flow.request) {
      this.#enterStarting(flow.request, flow);
    }
  }

  /** Moves the flow to `next`, telling the page if the state changed; focus follows a change. */
  #moveTo(next: FlowState): void {
    const moved = this.flow.name !== next.name;
    this.flow = next;
    if (!moved) return;
    this.dispatchEvent(new FcvStateEvent({ state: next.name }));
    this.#focusAfterUpdate = true;
  }

  #error(code: ErrorCode, message: string, retryable: boolean): void {
    this.dispatchEvent(new FcvErrorEvent({ code, message, retryable }));
  }

  #enterStarting(request: StartRequest, previous: FlowState): void {
    // After a lost answer the server may have placed the call: the retry repeats that intent and gets its
    // answer. Anything the server did answer (a problem it would replay) calls for a new intent.
    if (!(previous.name === 'error' && previous.error.code === 'network' && this.#startKey)) {
      this.#startKey = newIdempotencyKey();
    }
    if (this.flow.name !== 'starting') this.#moveTo({ name: 'starting', request });
    this.#start(request);
  }

  /** The key of the call being asked for, kept across retries so a lost answer never rings twice. */
  #startKey: string | undefined;

  #newSignal(): AbortSignal {
    // One request at a time: a newer one (or leaving the page) cancels the older.
    this.#request?.abort();
    this.#request = new AbortController();
    return this.#request.signal;
  }

  #start(request: StartRequest): void {
    const signal = this.#newSignal();
    const key = this.#startKey;
    // The call flow and its code boxes come with the answer, so they are there when the call is.
    Promise.all([this.#client().then((api) => api.start(request, signal, key)), this.#callFlowReady()]).then(
      ([view, flow]) => !signal.aborted && flow.send({ type: 'started', view }),
      (error: unknown) => !signal.aborted && this.#startFailed(error),
    );
  }

  #startFailed(error: unknown): void {
    const flowError = remote?.toFlowError(error) ?? NETWORK_ERROR;
    this.#callFlowReady().then(
      (flow) => flow.send({ type: 'failed', error: flowError }),
      () => {
        // Without the call flow there is no going on: as good as the service being out of reach.
        if (this.flow.name !== 'starting') return;
        this.#moveTo({ name: 'error', error: NETWORK_ERROR, request: this.flow.request });
        this.#error('network', this.#messages.errors.network, true);
      },
    );
  }

  /**
   * The field shows `phoneText` even when a keystroke left it unchanged (a character the formatter drops),
   * which a property binding, comparing with its last value rather than the field's, would miss.
   */
  #syncField(): void {
    const input = this.renderRoot.querySelector<HTMLInputElement>('#phone');
    if (input && input.value !== this.phoneText) input.value = this.phoneText;
  }

  #syncForm(): void {
    const verified = this.flow.name === 'verified';
    this.#internals.setFormValue(verified ? this.value : null);
    if (this.required && !verified) {
      const anchor =
        this.renderRoot.querySelector<HTMLElement>('#phone') ??
        this.renderRoot.querySelector<HTMLElement>('input.digit') ??
        this.renderRoot.querySelector<HTMLElement>('button') ??
        undefined;
      this.#internals.setValidity({ valueMissing: true }, this.#messages.required, anchor);
    } else {
      this.#internals.setValidity({});
    }
  }

  #syncStates(): void {
    const states = this.#internals.states;
    if (!states) return;
    for (const name of FLOW_STATES) {
      if (name === this.flow.name) states.add(name);
      else states.delete(name);
    }
    if (this.#isDisabled) states.add('disabled');
    else states.delete('disabled');
  }

  #focusForState(): void {
    const root = this.renderRoot;
    const pick = (selector: string) => root.querySelector<HTMLElement>(selector);
    switch (this.flow.name) {
      case 'idle':
        return pick('#phone')?.focus();
      case 'calling':
      case 'ringing':
        return this.#callFlow?.focusCode();
      case 'checking':
      case 'starting':
        return;
      default:
        return (pick('[part~="retry-button"]') ?? pick('[part~="resend-button"]') ?? pick('[part~="message"]'))?.focus();
    }
  }
}

/** 128 random bits; `crypto.randomUUID` would need a secure context, which a site's page may not be. */
function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
