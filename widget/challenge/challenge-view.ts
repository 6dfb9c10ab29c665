/**
 * Challenge mode (the `challenge` attribute, two-factor confirmation of a number the site holds): no number
 * field, only that number, masked, and one button to call it. A chunk of its own, fetched only by a control
 * that has a challenge; its words are in the language's table, which such a control fetches with it.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { FlowError, FlowState } from '../flow/flow-state.js';
import { interpolate, type Messages } from '../i18n/messages.js';
import { maskedNumber } from './masked-number.js';

export { challengeStyles } from './challenge-styles.js';
export { maskedNumber };

/** Refusals that are about the challenge itself, not this attempt. */
const CHALLENGE_ERRORS: ReadonlySet<string> = new Set(['invalid_challenge', 'challenge_expired', 'challenge_spent', 'challenge_required']);

/** What the form shows of the element's state. */
export interface ChallengeForm {
  challenge: string;
  state: FlowState;
  /** Whether a call can be asked for: until one is placed, and after failing to place one. */
  editable: boolean;
  disabled: boolean;
  /** What went wrong with this attempt, said where the number stands. */
  problem: string | undefined;
  /** "Try again" after a failure, as the number form has it. */
  retryButton(error: FlowError): TemplateResult;
  submit: (event: SubmitEvent) => unknown;
}

/** The number the site holds, masked, and a button to call it; it stays in sight in every state, as a typed one does in its field. */
export function challengeForm(m: Messages, form: ChallengeForm): TemplateResult {
  const flow = form.state;
  const busy = flow.name === 'starting';
  const masked = maskedNumber(form.challenge);
  const problem = masked ? form.problem : m.errors.invalid_challenge;
  // An expired, spent or refused challenge cannot place a call: only the site can give a new one.
  const dead = flow.name === 'error' && CHALLENGE_ERRORS.has(flow.error.code);
  const step =
    flow.name === 'error' && flow.error.retryable
      ? form.retryButton(flow.error)
      : form.editable && masked && !dead
        ? // Not disabled while the call is asked for, only marked so: the focus it holds moves on to the code boxes.
          html`<button
            part="verify-button"
            class="primary"
            type="submit"
            ?disabled=${form.disabled}
            aria-disabled=${busy ? 'true' : nothing}
          >
            ${m.challengeCall}
          </button>`
        : nothing;
  return html`<form novalidate @submit=${form.submit}>
    ${
      masked
        ? html`<p part="challenge-number" class="challenge-number">
            ${interpolate(m.challengeIntro, { phone: html`<bdi class="number" dir="ltr">${masked}</bdi>` })}
          </p>`
        : nothing
    }
    ${problem ? html`<p id="phone-error" part="field-error" class="hint invalid">${problem}</p>` : nothing} ${step}
  </form>`;
}
