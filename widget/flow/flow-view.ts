/**
 * The views of the states after the call was placed: the message line, the code boxes and the actions.
 * They travel in the flow's chunk (flow-parts.ts); the form, `starting` and `error` are the element's own,
 * since those show before the chunk is in.
 */
import { html, nothing, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { addStyles } from '../add-styles.js';
import { interpolate, type Messages } from '../i18n/messages.js';
import { plural } from '../i18n/plural.js';
import { lazy } from '../lazy.js';
import { CodeEntry } from './code-entry.js';
import { countdown } from './countdown.js';
import { flowViewStyles } from './flow-view-styles.js';
import { activeSession, codeKey, type FallbackChannel, type Flow, type FlowState } from './flow-state.js';

export { flowViewStyles };

/** "Didn't get the call?" and the other ways to get the code: asked for as a call is, waited for only if it is not in by then. */
const offerView = lazy(() => import('./fallback-offer.js'));

/** The message line: an optional indicator before the text, and its tone. */
export interface StatusView {
  indicator?: TemplateResult;
  text: unknown;
  tone?: 'error' | 'success';
}

export interface FlowViewOptions {
  lang(): string;
  /** A phone number (or the caller ID's known digits) as shown: grouped once its metadata is in. */
  number(digits: string): string;
  disabled(): boolean;
  /** The number was named by the site (challenge mode): there is no other number to change to. */
  numberFixed(): boolean;
}

type Host = ReactiveControllerHost & HTMLElement & { renderRoot: HTMLElement | DocumentFragment };

export class FlowView {
  readonly #flow: Flow;
  readonly #options: FlowViewOptions;
  readonly #codeEntry: CodeEntry;
  /** The state the boxes were last drawn for: a new call, or a wrong code, empties them. */
  #drawn: FlowState | undefined;
  readonly #host: Host;
  /** The offer's styles are in the host's shadow root. */
  #offerStyled = false;
  /** The code whose offer could not be fetched: shown without it rather than asked for on every update. */
  #offerFailed: string | undefined;

  constructor(host: Host, flow: Flow, options: FlowViewOptions) {
    this.#host = host;
    this.#flow = flow;
    this.#options = options;
    this.#codeEntry = new CodeEntry(host, { onComplete: (code) => flow.send({ type: 'check', code }) });
  }

  /**
   * What the next render waits for rather than showing a state without it: the offer of other channels, once a
   * code that has some is on its way. It is asked for as soon as a call is, so it is most often in by then.
   */
  pending(): Promise<unknown> | undefined {
    const flow = this.#flow.state;
    if (flow.name === 'idle' || this.#offerStyled) return undefined;
    const session = activeSession(flow);
    const key = session && codeKey(session);
    if (key && key === this.#offerFailed) return undefined;
    const load = offerView.load().then(
      (offer) => {
        if (this.#offerStyled) return;
        this.#offerStyled = true;
        addStyles(this.#host.renderRoot, [offer.fallbackOfferStyles]);
      },
      () => void (this.#offerFailed = key),
    );
    return session?.channels.some((channel) => channel !== 'flash') ? load : undefined;
  }

  /** Focuses the code boxes. */
  focusCode(): void {
    this.#codeEntry.focus();
  }

  /** The message line of the states this view covers; `undefined` for the element's own. */
  status(m: Messages): StatusView | undefined {
    const flow = this.#flow.state;
    switch (flow.name) {
      case 'calling':
      case 'ringing': {
        const { callStatus: status, channel } = flow.session;
        if (flow.wrongCode) return { text: plural(this.#options.lang(), m.wrongCode, flow.session.attemptsLeft), tone: 'error' };
        const voice = channel === 'voice';
        const template =
          channel === 'sms'
            ? m.smsSent
            : flow.name === 'calling'
              ? voice
                ? m.voiceCalling
                : m.calling
              : status === 'call-ended'
                ? voice
                  ? m.voiceEnded
                  : m.callEnded
                : status === 'answered'
                  ? voice
                    ? m.voiceAnswered
                    : m.answered
                  : voice
                    ? m.voiceRinging
                    : m.ringing;
        return {
          indicator: status === 'call-ended' || channel === 'sms' ? undefined : html`<span class="pulse" aria-hidden="true"></span>`,
          text: interpolate(template, { phone: this.#number(flow.session.phone) }),
        };
      }
      case 'checking':
        return { indicator: html`<span class="spinner" aria-hidden="true"></span>`, text: m.checking };
      case 'switching':
        return { indicator: html`<span class="spinner" aria-hidden="true"></span>`, text: m.switching };
      case 'verified':
        return {
          indicator: html`<span class="tick" aria-hidden="true">✓</span>`,
          text: interpolate(m.verified, { phone: this.#number(flow.phone) }),
          tone: 'success',
        };
      case 'expired':
        return { text: m.expired, tone: 'error' };
      case 'locked':
        return { text: m.locked, tone: 'error' };
      default:
        return undefined;
    }
  }

  /** The code boxes while the call's code can be typed. */
  code(m: Messages): TemplateResult | typeof nothing {
    const flow = this.#flow.state;
    const drawn = this.#drawn;
    this.#drawn = flow;
    const session = activeSession(flow);
    if (!session) return nothing;
    const wrong = flow.name !== 'checking' && 'wrongCode' in flow && !!flow.wrongCode;
    const before = activeSession(drawn ?? flow);
    if (!before || codeKey(before) !== codeKey(session) || (wrong && drawn?.name === 'checking')) {
      // Emptied as drawn (a new call or code, or a wrong one): the boxes' values follow `digits` after each render.
      this.#codeEntry.digits = [];
    }
    // A code that arrived by itself (WebOTP) shows in the boxes while it is checked.
    if (flow.name === 'checking' && this.#codeEntry.digits.join('') !== flow.code) this.#codeEntry.digits = [...flow.code];
    const hint = session.channel === 'sms' ? m.codeHintSms : session.channel === 'voice' ? m.codeHintSpoken : m.codeHint;
    return this.#codeEntry.render(m, this.#options.lang(), {
      codeLength: session.codeLength,
      hint,
      // Only a flash call's caller ID holds the code after known digits.
      prefix: session.callerIdPrefix ? this.#options.number(session.callerIdPrefix) : '',
      checking: flow.name === 'checking' || flow.name === 'switching',
      wrong,
      disabled: this.#options.disabled(),
    });
  }

  /** The actions of the states this view covers. */
  actions(m: Messages): TemplateResult | typeof nothing {
    const flow = this.#flow.state;
    const disabled = this.#options.disabled();
    const change = this.#options.numberFixed()
      ? nothing
      : html`<button type="button" part="change-number" class="link" @click=${this.#changeNumber}>${m.changeNumber}</button>`;
    switch (flow.name) {
      case 'calling':
      case 'ringing':
      case 'checking':
      case 'switching': {
        // One line under the boxes, the countdown until a new code may be asked for, then the buttons asking.
        const wait = flow.session.resendAt - this.#flow.now;
        const busy = disabled || flow.name === 'checking' || flow.name === 'switching';
        const waitText = flow.session.channel === 'sms' ? m.textAgainIn : m.resendIn;
        const hint =
          wait > 0 ? html`<p class="hint">${interpolate(waitText, { time: countdown(wait, this.#options.lang()) })}</p>` : nothing;
        const resend = this.#resendButton(m, busy || wait > 0);
        const others = flow.session.channels.filter((channel): channel is FallbackChannel => channel !== 'flash');
        const again = wait > 0 ? hint : resend;
        const offer = others.length ? offerView.loaded() : undefined;
        if (!offer) return html`<div part="actions" class="actions">${again}${change}</div>`;
        const open = 'offer' in flow ? !!flow.offer : flow.name === 'switching';
        const { toggle, group } = offer.fallbackOffer(m, this.#flow, {
          channel: flow.session.channel,
          others,
          open,
          busy,
          waiting: wait > 0,
        });
        return html`<div part="actions" class="actions">${again}${toggle}${change}</div>
          ${group}`;
      }
      case 'expired':
      case 'locked': {
        // A new call only once the server would place one: the button counts down to that moment.
        const wait = (flow.resendAt ?? 0) - this.#flow.now;
        return html`<div part="actions" class="actions">
          <button type="button" part="resend-button" class="primary" ?disabled=${disabled || wait > 0} @click=${this.#callAgain}>
            ${wait > 0 ? interpolate(m.callAgainIn, { time: countdown(wait, this.#options.lang()) }) : m.resend}
          </button>
          ${change}
        </div>`;
      }
      case 'verified':
        return change === nothing ? nothing : html`<div part="actions" class="actions">${change}</div>`;
      default:
        return nothing;
    }
  }

  /** "Call me again": a new flash call, on a new session. */
  #resendButton(m: Messages, disabled: boolean): TemplateResult {
    return html`<button type="button" part="resend-button" class="link" ?disabled=${disabled} @click=${this.#resend}>${m.resend}</button>`;
  }

  /** A phone number as isolated left-to-right text: "+44 7700 900123" reads the same on an Arabic page. */
  #number(e164: string): TemplateResult {
    return html`<bdi class="number" dir="ltr">${this.#options.number(e164)}</bdi>`;
  }

  #changeNumber = () => this.#flow.send({ type: 'reset' });

  #resend = () => this.#flow.send({ type: 'resend', now: Date.now() });

  #callAgain = () => {
    const flow = this.#flow.state;
    if (flow.name === 'expired' || flow.name === 'locked') this.#flow.send({ type: 'submit', request: flow.request });
  };
}
