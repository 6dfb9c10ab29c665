/**
 * "Didn't get the call?": the disclosure that shows the other ways to get the code (the site's other channels)
 * and their buttons. A chunk of its own (flow-view.ts asks for it as a call is asked for), so a page that never
 * sends a number never fetches it.
 */
import { html, type TemplateResult } from 'lit';
import type { Messages } from '../i18n/messages.js';
import type { Channel } from './api.js';
import type { FallbackChannel, Flow } from './flow-state.js';

export { fallbackOfferStyles } from './fallback-offer-styles.js';

export interface Offer {
  /** How the current code was sent. */
  channel: Channel;
  /** The other ways, in the site's order. */
  others: FallbackChannel[];
  /** Whether the other ways are on show. */
  open: boolean;
  /** A request is under way, or the control is disabled: the offer cannot be opened. */
  busy: boolean;
  /** Another code cannot be asked for yet. */
  waiting: boolean;
}

/** The disclosure button, which sits in the row of actions, and the group of other ways it shows and hides. */
export function fallbackOffer(m: Messages, flow: Flow, offer: Offer): { toggle: TemplateResult; group: TemplateResult } {
  const { open, busy } = offer;
  return {
    toggle: html`<button
      type="button"
      part="fallback-offer"
      class="link"
      aria-expanded=${open ? 'true' : 'false'}
      aria-controls="fallbacks"
      ?disabled=${busy}
      @click=${() => flow.send({ type: 'offer', open: !open })}
    >
      ${offer.channel === 'sms' ? m.noText : m.noCall}
    </button>`,
    group: html`<div part="fallbacks" class="fallbacks" id="fallbacks" role="group" aria-label=${m.otherWays} ?hidden=${!open}>
      ${offer.others.map(
        (channel) =>
          // "Call me and read the code", "Text me the code": a new code on the same session.
          html`<button
            type="button"
            part="fallback-button fallback-${channel}"
            class="link"
            ?disabled=${busy || offer.waiting}
            @click=${() => flow.send({ type: 'fallback', channel, now: Date.now() })}
          >
            ${channel === 'voice' ? m.fallbackVoice : m.fallbackSms}
          </button>`,
      )}
    </div>`,
  };
}
