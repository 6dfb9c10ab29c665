import { css } from 'lit';

/** The other ways to get the code: one per line, each a full-width target on a phone. */
export const fallbackOfferStyles = css`
  .fallbacks {
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    gap: 0.5rem;
    padding-inline-start: 0.75rem;
    border-inline-start: 2px solid var(--_border, currentColor);
  }

  .fallbacks[hidden] {
    display: none;
  }

  .fallbacks .link {
    min-block-size: 1.75rem;
    text-align: start;
  }
`;
