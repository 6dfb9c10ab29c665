import { css } from 'lit';

/**
 * The control keeps one shape from state to state, so the page under it stays put: the number row is
 * always there, the message line always holds its line, and each state fills the rows the others use.
 */
export const layoutStyles = css`
  /* The indicator runs in the text, so a message wraps under it rather than beside it. */
  .status-line {
    display: block;
    min-block-size: 1.4em;
  }

  .status-line > span {
    display: inline-block;
    vertical-align: -0.1em;
    margin-inline-end: 0.5rem;
  }

  .message,
  .message:empty {
    display: inline;
  }

  /* Once the call is placed the row shows the number it went to; its label stays for screen readers only. */
  .hidden-label {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }

  .code-area {
    display: grid;
    /* As the form's column: never wider than the control, so the boxes narrow rather than overflow it. */
    grid-template-columns: minmax(0, 1fr);
    gap: 0.35rem;
  }

  .how {
    min-block-size: 2.6em;
  }

  /* The element holds the height the call took (see #holdHeight): rows stay at the top, an outcome in the middle. */
  .base {
    align-content: start;
  }

  :host(:state(verified)) .base {
    align-content: space-between;
  }
`;
