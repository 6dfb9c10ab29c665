import type { CSSResult } from 'lit';

/** Adds a chunk's stylesheets after the element's own, once the chunk is in. */
export function addStyles(root: HTMLElement | DocumentFragment, styles: readonly CSSResult[]): void {
  const shadow = root as ShadowRoot;
  const sheets = styles.map((s) => s.styleSheet).filter((sheet): sheet is CSSStyleSheet => !!sheet);
  shadow.adoptedStyleSheets = [...shadow.adoptedStyleSheets, ...sheets];
}
