import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { createMetrics } from '../../server/metrics/index.js';

/**
 * The Grafana dashboard and the Prometheus alerting rules shipped in ops/ query only what the server exports:
 * a renamed metric or label would otherwise leave a panel empty or an alert silent, with nothing to say so.
 */

const root = new URL('../../', import.meta.url);
const dashboard = JSON.parse(readFileSync(new URL('ops/grafana-dashboard.json', root), 'utf8')) as {
  panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
  templating: { list: Array<{ name: string; query?: unknown }> };
};
const rules = parse(readFileSync(new URL('ops/prometheus-rules.yml', root), 'utf8')) as {
  groups: Array<{ rules: Array<{ alert: string; expr: string }> }>;
};

/** Every series name the server exports, histograms' derived series included, with the labels each carries. */
function exported(): Map<string, Set<string>> {
  const { registry } = createMetrics();
  const series = new Map<string, Set<string>>();
  for (const metric of registry.getMetricsAsArray()) {
    const { name, labelNames = [], type } = metric as unknown as { name: string; labelNames?: string[]; type: string };
    const labels = new Set(labelNames);
    if (String(type) === 'histogram') {
      series.set(`${name}_bucket`, new Set([...labels, 'le']));
      series.set(`${name}_sum`, labels);
      series.set(`${name}_count`, labels);
    } else {
      series.set(name, labels);
    }
  }
  return series;
}

/** Labels Prometheus adds to every scraped series. */
const TARGET_LABELS = new Set(['job', 'instance']);

/** The metric names an expression reads, each with the label names its matchers use. */
function selectors(expr: string): Array<{ metric: string; labels: string[] }> {
  const found: Array<{ metric: string; labels: string[] }> = [];
  for (const match of expr.matchAll(/\b((?:fcv|process|nodejs)_[a-z_]+)\b(\{[^}]*\})?/g)) {
    const labels = [...(match[2] ?? '').matchAll(/([a-z_]+)\s*(?:=~|!~|!=|=)/g)].map((m) => m[1]!);
    found.push({ metric: match[1]!, labels });
  }
  return found;
}

/** Label names used in grouping: `by (a, b)`, and `label_values(metric, label)` in the dashboard's variables. */
function groupings(expr: string): string[] {
  return [...expr.matchAll(/\bby\s*\(([^)]*)\)/g)].flatMap((m) => m[1]!.split(',').map((label) => label.trim()));
}

describe('ops/: dashboard and alerting rules', () => {
  const series = exported();
  const queries = [
    ...dashboard.panels.flatMap((panel) => panel.targets.map((target) => ({ where: `panel "${panel.title}"`, expr: target.expr }))),
    ...dashboard.templating.list
      .filter((variable) => typeof variable.query === 'string' && variable.query.startsWith('label_values'))
      .map((variable) => ({ where: `variable $${variable.name}`, expr: String(variable.query) })),
    ...rules.groups.flatMap((group) => group.rules.map((rule) => ({ where: `alert ${rule.alert}`, expr: rule.expr }))),
  ];

  test('every query names only metrics the server exports, and only labels those metrics carry', () => {
    assert.ok(queries.length >= 15, `${queries.length} queries`);
    for (const { where, expr } of queries) {
      const used = selectors(expr);
      assert.ok(used.length > 0, `${where} reads no metric: ${expr}`);
      const allowed = new Set<string>(TARGET_LABELS);
      for (const { metric, labels } of used) {
        const carried = series.get(metric);
        assert.ok(carried, `${where} reads ${metric}, which the server does not export`);
        for (const label of carried) allowed.add(label);
        for (const label of labels) assert.ok(carried.has(label) || TARGET_LABELS.has(label), `${where}: ${metric} has no label ${label}`);
      }
      for (const label of groupings(expr)) assert.ok(allowed.has(label), `${where} groups by ${label}, which none of its metrics carry`);
      const variable = /label_values\(\s*([a-z_]+)\s*,\s*([a-z_]+)\s*\)/.exec(expr);
      if (variable) assert.ok(allowed.has(variable[2]!), `${where}: ${variable[1]} has no label ${variable[2]}`);
    }
  });

  test('the dashboard covers starts, verified share, wrong codes, limits, the provider, the circuit and countries', () => {
    const read = new Set(queries.flatMap(({ expr }) => selectors(expr).map((s) => s.metric)));
    for (const metric of [
      'fcv_verifications_started_total',
      'fcv_verifications_verified_total',
      'fcv_wrong_codes_total',
      'fcv_rate_limit_hits_total',
      'fcv_provider_call_duration_seconds_bucket',
      'fcv_provider_call_duration_seconds_count',
      'fcv_provider_circuit_state',
    ]) {
      assert.ok(read.has(metric), `nothing reads ${metric}`);
    }
    assert.ok(
      dashboard.panels.some((panel) => panel.targets.some((target) => groupings(target.expr).includes('country'))),
      'a panel splits starts by country',
    );
  });

  test('the rules alert on a country surge, provider failures and an open circuit', () => {
    const alerts = rules.groups.flatMap((group) => group.rules.map((rule) => rule.alert)).sort();
    assert.deepEqual(alerts, ['FlashCallCircuitOpen', 'FlashCallCountryStartSurge', 'FlashCallProviderFailures']);
  });
});
