import { css } from 'lit';

/** The code boxes' own rules; the colours and sizes they use are the element's (styles.ts). */
export const codeEntryStyles = css`
  .code {
    display: flex;
    /* The caller ID's digits and the boxes on one line; the boxes narrow on a small screen. */
    flex-wrap: nowrap;
    align-items: center;
    gap: 0.4rem;
  }

  .prefix {
    font-size: 1.1em;
    font-variant-numeric: tabular-nums;
    color: var(--_muted);
    white-space: nowrap;
  }

  .digits {
    display: flex;
    gap: 0.4rem;
    min-inline-size: 0;
  }

  .digit {
    box-sizing: border-box;
    flex: 0 1 var(--_digit);
    min-inline-size: 1.9rem;
    inline-size: var(--_digit);
    block-size: calc(var(--_digit) * 1.15);
    padding: 0;
    text-align: center;
    font-size: 1.4em;
    font-variant-numeric: tabular-nums;
    background: var(--_field-bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }

  .digit[aria-invalid='true'] {
    border-color: var(--_error);
    box-shadow: 0 0 0 1px var(--_error);
  }

  .digit:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }

  @media (forced-colors: active) {
    .digit {
      border-color: CanvasText;
    }
    .digit:focus-visible {
      outline-color: Highlight;
    }
  }
`;
