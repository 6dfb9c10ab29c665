import { css } from 'lit';

/** The country popup's own rules; the colours and sizes they use are the element's (styles.ts). */
export const countryPopupStyles = css`
  /* The flag font (flags.ts) first: declared on the document only where the platform draws no flags. Here
     rather than in the first render's styles, which it would only grow; the button's flag takes it too. */
  .flag {
    font-family: 'Fcv Country Flags', 'Apple Color Emoji', 'Segoe UI Emoji', 'Noto Color Emoji', sans-serif;
  }

  .popup {
    position: absolute;
    z-index: 10;
    inset-inline: var(--fcv-padding, 1rem);
    margin-block-start: 3rem;
    display: grid;
    gap: 0.25rem;
    padding: 0.5rem;
    /* The element's own background may be see-through (a page can set it transparent); the popup lies over
       the page's content, so the field colour underneath keeps it readable. */
    background: linear-gradient(var(--_bg), var(--_bg)), var(--_field-bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    box-shadow: 0 8px 24px rgb(0 0 0 / 0.2);
  }

  .country-search {
    padding: 0.5rem 0.6rem;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_field-bg);
  }

  .country-list {
    max-block-size: var(--fcv-list-height, 15rem);
    overflow-y: auto;
    margin: 0;
    padding: 0;
    list-style: none;
  }

  .option {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    padding: 0.4rem 0.5rem;
    border-radius: calc(var(--_radius) * 0.75);
    cursor: pointer;
  }

  .option .name {
    flex: 1 1 auto;
  }

  .option .dial {
    color: var(--_muted);
    font-variant-numeric: tabular-nums;
  }

  .option[aria-selected='true'] {
    background: var(--_accent);
    color: var(--_accent-fg);
  }

  .option[aria-selected='true'] .dial {
    color: inherit;
  }

  .no-match {
    margin: 0.25rem 0.5rem;
    color: var(--_muted);
  }

  .country-search:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }

  @media (forced-colors: active) {
    .popup,
    .country-search {
      border-color: CanvasText;
    }
    .option[aria-selected='true'] {
      color: HighlightText;
      background: Highlight;
      forced-color-adjust: none;
    }
    .country-search:focus-visible {
      outline-color: Highlight;
    }
  }
`;
