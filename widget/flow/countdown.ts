import { html, type TemplateResult } from 'lit';

/** Time left as m:ss in the language's digits, isolated left to right so it reads the same on any page. */
export function countdown(ms: number, lang: string): TemplateResult {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const minutes = new Intl.NumberFormat(lang).format(Math.floor(total / 60));
  const seconds = new Intl.NumberFormat(lang, { minimumIntegerDigits: 2 }).format(total % 60);
  return html`<bdi class="number" dir="ltr">${minutes}:${seconds}</bdi>`;
}
