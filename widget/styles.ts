import { css } from 'lit';

/**
 * Page authors theme through the public `--fcv-*` properties; the private `--_*` ones resolve each
 * against a light or dark default, so a page can set one colour without losing the other scheme.
 */
export const styles = css`
  :host {
    --_accent: var(--fcv-accent, #1d4ed8);
    --_accent-fg: var(--fcv-accent-contrast, #ffffff);
    --_bg: var(--fcv-background, #ffffff);
    --_fg: var(--fcv-color, #111827);
    --_muted: var(--fcv-muted-color, #4b5563);
    --_border: var(--fcv-border-color, #6b7280);
    --_field-bg: var(--fcv-field-background, #ffffff);
    --_error: var(--fcv-error-color, #b91c1c);
    --_success: var(--fcv-success-color, #15803d);
    --_radius: var(--fcv-radius, 0.5rem);
    --_gap: var(--fcv-gap, 0.75rem);
    --_digit: var(--fcv-digit-size, 2.75rem);

    display: block;
    box-sizing: border-box;
    max-inline-size: var(--fcv-max-width, 26rem);
    font-family: var(--fcv-font, inherit);
    font-size: var(--fcv-font-size, 1rem);
    line-height: 1.4;
    color: var(--_fg);
    color-scheme: light;
  }

  @media (prefers-color-scheme: dark) {
    :host {
      --_accent: var(--fcv-accent, #93c5fd);
      --_accent-fg: var(--fcv-accent-contrast, #0b1220);
      --_bg: var(--fcv-background, #1f2937);
      --_fg: var(--fcv-color, #f9fafb);
      --_muted: var(--fcv-muted-color, #d1d5db);
      --_border: var(--fcv-border-color, #9ca3af);
      --_field-bg: var(--fcv-field-background, #111827);
      --_error: var(--fcv-error-color, #fca5a5);
      --_success: var(--fcv-success-color, #86efac);
      color-scheme: dark;
    }
  }

  :host([hidden]) {
    display: none;
  }

  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }

  .base {
    position: relative;
    display: grid;
    /* A column that never grows past its container, whatever the intrinsic width of a field in it. */
    grid-template-columns: minmax(0, 1fr);
    gap: var(--_gap);
    padding: var(--fcv-padding, 1rem);
    background: var(--_bg);
    border: 1px solid color-mix(in srgb, var(--_border) 45%, transparent);
    border-radius: calc(var(--_radius) * 1.5);
  }

  :host(:state(disabled)) .base {
    opacity: 0.65;
  }

  form {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: 0.5rem;
    margin: 0;
  }

  label {
    font-weight: 600;
  }

  .row {
    display: flex;
    gap: 0.5rem;
    align-items: stretch;
  }

  .field {
    display: flex;
    flex: 1 1 auto;
    min-inline-size: 0;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_field-bg);
  }

  .field:focus-within,
  .country-button:focus-visible,
  button:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }

  input {
    font: inherit;
    color: inherit;
  }

  .phone {
    flex: 1 1 auto;
    /* An input's default width is about 20 characters; from zero it takes only the room the row leaves. */
    inline-size: 0;
    min-inline-size: 0;
    padding: 0.6rem 0.75rem;
    border: 0;
    border-radius: var(--_radius);
    background: transparent;
    outline: none;
    font-variant-numeric: tabular-nums;
    text-align: left;
  }

  .phone[aria-invalid='true'] {
    box-shadow: inset 0 0 0 1px var(--_error);
  }

  .picker {
    display: flex;
  }

  .country-button {
    display: inline-flex;
    align-items: center;
    gap: 0.35rem;
    padding: 0 0.6rem;
    font: inherit;
    color: inherit;
    background: var(--_field-bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    cursor: pointer;
  }

  .chevron::before {
    content: '';
    display: inline-block;
    inline-size: 0.45em;
    block-size: 0.45em;
    border-inline-end: 2px solid currentColor;
    border-block-end: 2px solid currentColor;
    transform: translateY(-25%) rotate(45deg);
  }

  /* Its place is kept while the flag is still to come (see CountryPicker.render), wide enough for the flags of
     Noto Color Emoji (1.275em) and of the flag font; the popup's styles name their fonts. */
  .flag {
    display: inline-block;
    min-inline-size: 1.3em;
    text-align: center;
    font-size: 1.25em;
    line-height: 1;
  }

  .primary,
  .secondary {
    justify-self: start;
    display: inline-flex;
    align-items: center;
    gap: 0.5rem;
    padding: 0.6rem 1.1rem;
    font: inherit;
    font-weight: 600;
    border-radius: var(--_radius);
    cursor: pointer;
  }

  .primary {
    color: var(--_accent-fg);
    background: var(--_accent);
    border: 1px solid var(--_accent);
  }

  button:disabled {
    cursor: default;
    opacity: 0.6;
  }

  .message {
    margin: 0;
    min-block-size: 1.4em;
  }

  /* Focused only so screen readers read the outcome; it is not a control. */
  .message:focus {
    outline: none;
  }

  .message:empty {
    display: none;
  }

  .hint {
    margin: 0;
    color: var(--_muted);
    font-size: 0.9em;
  }

  .invalid,
  .message.error {
    color: var(--_error);
  }

  .actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem 1rem;
  }

  .status-line {
    display: flex;
    align-items: center;
    gap: 0.6rem;
  }

  .spinner {
    flex: none;
    inline-size: 1em;
    block-size: 1em;
    border: 2px solid currentColor;
    border-inline-end-color: transparent;
    border-radius: 50%;
    animation: spin 0.8s linear infinite;
  }

  .tick {
    color: var(--_success);
  }

  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }

  @media (prefers-reduced-motion: reduce) {
    .spinner {
      animation: none;
      border-inline-end-color: currentColor;
      border-style: dotted;
    }
  }

  @media (forced-colors: active) {
    .base,
    .field,
    .country-button {
      border-color: CanvasText;
    }
    .primary {
      color: ButtonText;
      background: ButtonFace;
      border-color: ButtonText;
    }
    .field:focus-within,
    button:focus-visible {
      outline-color: Highlight;
    }
  }
`;
