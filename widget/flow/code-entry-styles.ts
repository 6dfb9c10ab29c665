import { css } from 'lit';

/** The code boxes' own rules; the colours and sizes they use are the element's (styles.ts). */
export const codeEntryStyles = css`
  .code {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.4rem;
  }

  .prefix {
    font-size: 1.25em;
    font-variant-numeric: tabular-nums;
    color: var(--_muted);
    white-space: nowrap;
  }

  .digits {
    display: flex;
    gap: 0.4rem;
  }

  .digit {
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
