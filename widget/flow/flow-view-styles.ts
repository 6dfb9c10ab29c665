import { css } from 'lit';
import { codeEntryStyles } from './code-entry-styles.js';

/** Rules only the states after a submit use; the colours and sizes are the element's (styles.ts). */
const ownStyles = css`
  .secondary {
    color: var(--_accent);
    background: transparent;
    border: 1px solid var(--_accent);
  }

  .link {
    padding: 0;
    font: inherit;
    color: var(--_accent);
    background: none;
    border: 0;
    text-decoration: underline;
    cursor: pointer;
  }

  .message.success {
    color: var(--_success);
    font-weight: 600;
  }

  .number {
    unicode-bidi: isolate;
    direction: ltr;
    white-space: nowrap;
    font-variant-numeric: tabular-nums;
  }

  .pulse {
    flex: none;
    inline-size: 0.75em;
    block-size: 0.75em;
    border-radius: 50%;
    background: var(--_accent);
    animation: pulse 1.2s ease-in-out infinite;
  }

  @keyframes pulse {
    0%,
    100% {
      box-shadow: 0 0 0 0 color-mix(in srgb, var(--_accent) 60%, transparent);
    }
    50% {
      box-shadow: 0 0 0 0.4em transparent;
    }
  }

  @media (prefers-reduced-motion: reduce) {
    .pulse {
      animation: none;
    }
  }

  @media (forced-colors: active) {
    .pulse {
      background: CanvasText;
    }
  }
`;

export const flowViewStyles = [codeEntryStyles, ownStyles];
