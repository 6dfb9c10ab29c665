/**
 * A minimal Prometheus registry: counters, gauges and histograms with labels, rendered in the text
 * exposition format 0.0.4. The server needs a handful of series, not a client library.
 */

export type LabelValues<L extends string> = Readonly<Record<L, string>>;

interface Collectable {
  render(): string;
}

abstract class Metric<L extends string> implements Collectable {
  protected readonly series = new Map<string, { labels: LabelValues<L>; value: number }>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly L[],
    private readonly type: 'counter' | 'gauge',
  ) {
    checkName(name);
    for (const label of labelNames) checkLabel(label);
  }

  protected entry(labels: LabelValues<L>): { labels: LabelValues<L>; value: number } {
    const key = seriesKey(this.labelNames, labels);
    let found = this.series.get(key);
    if (!found) {
      found = { labels: { ...labels }, value: 0 };
      this.series.set(key, found);
    }
    return found;
  }

  /** The value of one series, for tests and health checks. */
  get(labels: LabelValues<L>): number {
    return this.series.get(seriesKey(this.labelNames, labels))?.value ?? 0;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} ${this.type}`];
    // A metric without labels has exactly one series, shown even before anything happened.
    if (this.labelNames.length === 0 && this.series.size === 0) lines.push(`${this.name} 0`);
    for (const { labels, value } of this.series.values()) {
      lines.push(`${this.name}${formatLabels(this.labelNames, labels)} ${formatNumber(value)}`);
    }
    return lines.join('\n');
  }
}

export class Counter<L extends string = never> extends Metric<L> {
  constructor(name: string, help: string, labelNames: readonly L[] = []) {
    super(name, help, labelNames, 'counter');
  }

  inc(labels: LabelValues<L>, by = 1): void {
    if (!(by >= 0)) throw new RangeError(`${this.name}: a counter only goes up`);
    this.entry(labels).value += by;
  }
}

export class Gauge<L extends string = never> extends Metric<L> {
  constructor(name: string, help: string, labelNames: readonly L[] = []) {
    super(name, help, labelNames, 'gauge');
  }

  set(labels: LabelValues<L>, value: number): void {
    this.entry(labels).value = value;
  }

  inc(labels: LabelValues<L>, by = 1): void {
    this.entry(labels).value += by;
  }
}

/** Seconds are the unit of latency in Prometheus; these bounds span a fast API answer to a timed-out one. */
export const DEFAULT_BUCKETS: readonly number[] = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class Histogram<L extends string = never> implements Collectable {
  readonly #series = new Map<string, { labels: LabelValues<L>; counts: number[]; sum: number; count: number }>();
  readonly buckets: readonly number[];

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly L[] = [],
    buckets: readonly number[] = DEFAULT_BUCKETS,
  ) {
    checkName(name);
    for (const label of labelNames) checkLabel(label);
    if (labelNames.includes('le' as L)) throw new Error(`${name}: "le" is reserved for histogram buckets`);
    this.buckets = [...buckets].sort((a, b) => a - b);
  }

  observe(labels: LabelValues<L>, value: number): void {
    const key = seriesKey(this.labelNames, labels);
    let found = this.#series.get(key);
    if (!found) {
      found = { labels: { ...labels }, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.#series.set(key, found);
    }
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]!) found.counts[i]!++;
    found.sum += value;
    found.count++;
  }

  /** Observations of one series, for tests. */
  count(labels: LabelValues<L>): number {
    return this.#series.get(seriesKey(this.labelNames, labels))?.count ?? 0;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} histogram`];
    for (const { labels, counts, sum, count } of this.#series.values()) {
      const names = [...this.labelNames, 'le'];
      this.buckets.forEach((bound, i) => {
        lines.push(`${this.name}_bucket${formatLabels(names, { ...labels, le: formatNumber(bound) })} ${counts[i]}`);
      });
      lines.push(`${this.name}_bucket${formatLabels(names, { ...labels, le: '+Inf' })} ${count}`);
      lines.push(`${this.name}_sum${formatLabels(this.labelNames, labels)} ${formatNumber(sum)}`);
      lines.push(`${this.name}_count${formatLabels(this.labelNames, labels)} ${count}`);
    }
    return lines.join('\n');
  }
}

export class Registry {
  readonly #metrics = new Map<string, Collectable>();
  readonly #beforeCollect: Array<() => void> = [];

  register<M extends Collectable & { name: string }>(metric: M): M {
    if (this.#metrics.has(metric.name)) throw new Error(`metric ${metric.name} is registered twice`);
    this.#metrics.set(metric.name, metric);
    return metric;
  }

  counter<L extends string = never>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return this.register(new Counter(name, help, labelNames));
  }

  gauge<L extends string = never>(name: string, help: string, labelNames: readonly L[] = []): Gauge<L> {
    return this.register(new Gauge(name, help, labelNames));
  }

  histogram<L extends string = never>(name: string, help: string, labelNames: readonly L[] = [], buckets?: readonly number[]): Histogram<L> {
    return this.register(new Histogram(name, help, labelNames, buckets));
  }

  /** Runs before every scrape: for values read on demand, such as process memory. */
  beforeCollect(update: () => void): void {
    this.#beforeCollect.push(update);
  }

  /** The whole registry in the text exposition format, ending with a newline as the format requires. */
  render(): string {
    for (const update of this.#beforeCollect) update();
    return [...this.#metrics.values()].map((metric) => metric.render()).join('\n') + '\n';
  }
}

export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function checkName(name: string): void {
  if (!NAME.test(name)) throw new Error(`"${name}" is not a valid metric name`);
}

function checkLabel(label: string): void {
  if (!LABEL.test(label) || label.startsWith('__')) throw new Error(`"${label}" is not a valid label name`);
}

function seriesKey(names: readonly string[], labels: Readonly<Record<string, string>>): string {
  return names.map((name) => labels[name] ?? '').join('\u0000');
}

function formatLabels(names: readonly string[], labels: Readonly<Record<string, string>>): string {
  if (names.length === 0) return '';
  return `{${names.map((name) => `${name}="${escapeLabel(labels[name] ?? '')}"`).join(',')}}`;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}
