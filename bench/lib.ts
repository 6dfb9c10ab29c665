import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../scripts/chromium.js';

/** One line of the table: our figure, and the figure it is judged against, both from this run. */
export interface Row {
  measure: string;
  ours: string;
  /** The peer or baseline, with its figure; empty when the target is absolute. */
  reference?: string;
  /** ours / reference, where that means something. */
  ratio?: number;
  target?: string;
  met?: boolean;
  /** Raw numbers for the JSON record. */
  data?: Record<string, unknown>;
}

export interface Section {
  title: string;
  rows: Row[];
  notes: string[];
}

export const KB = 1000;

export function kb(bytes: number): string {
  return `${(bytes / KB).toFixed(1)} KB`;
}

export function ms(value: number): string {
  return value >= 100 ? `${value.toFixed(0)} ms` : value >= 10 ? `${value.toFixed(1)} ms` : `${value.toFixed(2)} ms`;
}

export function ratio(value: number): string {
  return `${value.toFixed(2)}x`;
}

export interface Sizes {
  min: number;
  gzip: number;
  brotli: number;
}

export function sizesOf(...parts: Uint8Array[]): Sizes {
  // Files travel compressed one by one, so each is compressed on its own and the results added.
  let min = 0;
  let gzip = 0;
  let brotli = 0;
  for (const part of parts) {
    min += part.length;
    gzip += gzipSync(part, { level: 9 }).length;
    brotli += brotliCompressSync(part, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: part.length },
    }).length;
  }
  return { min, gzip, brotli };
}

export function addSizes(...all: Sizes[]): Sizes {
  return all.reduce((a, b) => ({ min: a.min + b.min, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli }), { min: 0, gzip: 0, brotli: 0 });
}

export function sizeText(s: Sizes): string {
  return `${kb(s.gzip)} gz (${kb(s.min)} min, ${kb(s.brotli)} br)`;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const at = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[at]!;
}

export { CHROMIUM_ARGS };

export function chromiumPath(): string {
  return CHROMIUM_PATH;
}

/** Renders sections as one Markdown table, the reference beside every figure. */
export function renderTable(sections: Section[]): string {
  const lines = ['| measure | flash-call-verify | reference (same run) | ratio | target | met |', '|---|---|---|---|---|---|'];
  for (const section of sections) {
    lines.push(`| **${section.title}** | | | | | |`);
    for (const row of section.rows) {
      const met = row.met === undefined ? '' : row.met ? 'yes' : '**no**';
      lines.push(
        `| ${row.measure} | ${row.ours} | ${row.reference ?? ''} | ${row.ratio === undefined ? '' : ratio(row.ratio)} | ${row.target ?? ''} | ${met} |`,
      );
    }
  }
  return lines.join('\n');
}

export function renderNotes(sections: Section[]): string {
  return sections
    .filter((s) => s.notes.length)
    .map((s) => `${s.title}:\n${s.notes.map((n) => `- ${n}`).join('\n')}`)
    .join('\n');
}

/**
 * The default per-number and per-address limits, with the site-wide caps raised so a measurement's many
 * starts fit in one day; those are one counter each, whatever the count.
 */
export const MEASURED_LIMITS = JSON.stringify([
  { scope: 'phone', max: 3, windowSeconds: 900 },
  { scope: 'phone', max: 10, windowSeconds: 86_400 },
  { scope: 'ip', max: 10, windowSeconds: 900 },
  { scope: 'site', max: 1_000_000_000, windowSeconds: 86_400 },
  { scope: 'site-country', max: 1_000_000_000, windowSeconds: 86_400 },
]);

/** Each channel's daily cap per site raised for the same reason: one counter each, whatever the count. */
export const MEASURED_DAILY_CAPS = JSON.stringify({ flash: 1_000_000_000, voice: 1_000_000_000, sms: 1_000_000_000 });

/**
 * The limits of a server under load from one address: every call is that address's, so only its limit is
 * kept (raised); the channels' daily caps are raised as above, and no cooldown refuses a number called again.
 * Spread into a target's environment.
 */
export const LOAD_LIMITS = {
  FCV_LIMITS: JSON.stringify([{ scope: 'ip', max: 1_000_000_000, windowSeconds: 3600 }]),
  FCV_DAILY_CAPS: MEASURED_DAILY_CAPS,
  FCV_RESEND_SECONDS: '0',
} as const;
