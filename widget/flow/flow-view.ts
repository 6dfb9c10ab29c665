/**
 * The views of the states after the call was placed: the message line, the code boxes and the actions.
 * They travel in the flow's chunk (flow-parts.ts); the form, `starting` and `error` are the element's own,
 * since those show before the chunk is in.
 */
import { html, nothing, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { interpolate, type Messages } from '../i18n/messages.js';
import { plural } from '../i18n/plural.js';
import { CodeEntry } from './code-entry.js';
import { countdown } from './countdown.js';
import { flowViewStyles } from './flow-view-styles.js';
import { activeSession, codeKey, type FallbackChannel, type Flow, type FlowState } from './flow-state.js';

export { flowViewStyles };

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

  constructor(host: Host, flow: Flow, options: FlowViewOptions) {
    this.#flow = flow;
    this.#options = options;
    this.#codeEntry = new CodeEntry(host, { onComplete: (code) => flow.send({ type: 'check', code }) });
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
      // Emptied as drawn (a new call or code, or a wrong one): the boxes' values follow `digits` through `live()`.
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
        if (others.length === 0) return html`<div part="actions" class="actions">${again}${change}</div>`;
        const open = 'offer' in flow ? !!flow.offer : flow.name === 'switching';
        return html`<div part="actions" class="actions">
            ${again}
            <button
              type="button"
              part="fallback-offer"
              class="link"
              aria-expanded=${open ? 'true' : 'false'}
              aria-controls="fallbacks"
              ?disabled=${busy}
              @click=${() => this.#flow.send({ type: 'offer', open: !open })}
            >
              ${flow.session.channel === 'sms' ? m.noText : m.noCall}
            </button>
            ${change}
          </div>
          <div part="fallbacks" class="fallbacks" id="fallbacks" role="group" aria-label=${m.otherWays} ?hidden=${!open}>
            ${others.map((channel) => this.#fallbackButton(m, channel, busy || wait > 0))}
          </div>`;
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

  /** "Call me and read the code", "Text me the code": a new code on the same session. */
  #fallbackButton(m: Messages, channel: FallbackChannel, disabled: boolean): TemplateResult {
    return html`<button
      type="button"
      part="fallback-button fallback-${channel}"
      class="link"
      ?disabled=${disabled}
      @click=${() => this.#flow.send({ type: 'fallback', channel, now: Date.now() })}
    >
      ${channel === 'voice' ? m.fallbackVoice : m.fallbackSms}
    </button>`;
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
