import { css } from 'lit';

/** Challenge mode: the number the site named stands where a typed one would. */
export const challengeStyles = css`
  .challenge-number {
    margin: 0 0 0.25rem;
  }

  .challenge-number .number {
    white-space: nowrap;
    font-variant-numeric: tabular-nums;
  }
`;
