import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../server/config.js';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { createMetrics } from '../../server/metrics/index.js';
import { PAGE_ORIGIN, SANDBOX_PHONE, startSandbox, wrongCode } from '../support/sandbox.js';

/** One sample's value from the text format, or undefined when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || !line.startsWith(name)) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = (match[2] ?? '').split(/,(?=[a-zA-Z_]+=")/).filter(Boolean);
    if (wanted.every((pair) => present.includes(pair)) && present.length === wanted.length) return Number(match[3]);
  }
  return undefined;
}

/** Every line is a comment or a sample (or empty, which the format ignores); the text ends with a newline. */
function assertExposition(text: string): void {
  assert.ok(text.endsWith('\n'));
  for (const line of text.trimEnd().split('\n')) {
    if (line === '') continue;
    assert.match(
      line,
      /^(# (HELP|TYPE) [a-zA-Z_:][\w:]* .*|[a-zA-Z_:][\w:]*(\{([a-zA-Z_]\w*="([^"\\]|\\.)*",?)*\})? (-?[\d.e+-]+|NaN|[+-]Inf))$/,
      line,
    );
  }
}

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`never happened: ${what}`);
}

describe('metrics configuration', () => {
  test('off unless FCV_METRICS is on', () => {
    assert.equal(loadConfig({}).metrics?.enabled, false);
    const on = loadConfig({ FCV_METRICS: 'on' }).metrics!;
    assert.deepEqual(on, { enabled: true, port: 9464, host: '127.0.0.1' });
  });

  test('bad settings name their variable', () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ FCV_METRICS: 'maybe' }, 'FCV_METRICS'],
      [{ FCV_METRICS_TOKEN: 'a'.repeat(32) }, 'FCV_METRICS_TOKEN'],
      [{ FCV_METRICS_PORT: '9000' }, 'FCV_METRICS_PORT'],
      [{ FCV_METRICS: 'on', FCV_METRICS_PORT: 'seventy' }, 'FCV_METRICS_PORT'],
      [{ FCV_METRICS: 'on', PORT: '9000', FCV_METRICS_PORT: '9000' }, 'FCV_METRICS_PORT'],
      [{ FCV_METRICS: 'on', FCV_METRICS_PORT: 'off' }, 'FCV_METRICS_PORT'],
      [{ FCV_METRICS: 'on', FCV_METRICS_TOKEN: 'short' }, 'FCV_METRICS_TOKEN'],
    ];
    for (const [env, variable] of cases) {
      assert.throws(
        () => loadConfig(env),
        (error: unknown) => error instanceof ConfigError && error.variable === variable,
        JSON.stringify(env),
      );
    }
  });
});

describe('the registry', () => {
  test('renders counters, gauges and histograms in the text format, escaping label values', async () => {
    const registry = new Registry();
    const registers = [registry];
    const counter = new Counter({ name: 't_things_total', help: 'Things.\nWith a second line.', labelNames: ['kind'], registers });
    counter.inc({ kind: 'a "quoted"\\ value\n' });
    counter.inc({ kind: 'b' }, 2);
    new Gauge({ name: 't_level', help: 'A level.', registers }).set(1.5);
    new Counter({ name: 't_never_total', help: 'Never counted.', registers });
    const histogram = new Histogram({ name: 't_seconds', help: 'Durations.', labelNames: ['outcome'], buckets: [0.1, 1], registers });
    histogram.observe({ outcome: 'ok' }, 0.05);
    histogram.observe({ outcome: 'ok' }, 0.5);
    histogram.observe({ outcome: 'ok' }, 7);
    const text = await registry.metrics();
    assertExposition(text);
    assert.match(text, /# HELP t_things_total Things\.\\nWith a second line\./);
    assert.match(text, /^t_things_total\{kind="a \\"quoted\\"\\\\ value\\n"\} 1$/m);
    assert.equal(sample(text, 't_things_total', { kind: 'b' }), 2);
    assert.equal(sample(text, 't_level'), 1.5);
    assert.equal(sample(text, 't_never_total'), 0);
    assert.equal(sample(text, 't_seconds_bucket', { outcome: 'ok', le: '0.1' }), 1);
    assert.equal(sample(text, 't_seconds_bucket', { outcome: 'ok', le: '1' }), 2);
    assert.equal(sample(text, 't_seconds_bucket', { outcome: 'ok', le: '+Inf' }), 3);
    assert.equal(sample(text, 't_seconds_count', { outcome: 'ok' }), 3);
    assert.equal(sample(text, 't_seconds_sum', { outcome: 'ok' }), 7.55);
    assert.throws(() => counter.inc({ kind: 'b' }, -1), /not possible to decrease a counter/);
    assert.throws(() => new Counter({ name: 't_things_total', help: 'again', registers }), /already been registered/);
    assert.throws(() => new Counter({ name: 'bad-name', help: 'x', registers }), /Invalid metric name/);
  });

  test('call statuses outside the known set share one series', async () => {
    const metrics = createMetrics();
    metrics.callEnded('busy');
    metrics.callEnded('something-new');
    metrics.callEnded('another');
    const text = await metrics.registry.metrics();
    assert.equal(sample(text, 'fcv_calls_ended_total', { status: 'busy' }), 1);
    assert.equal(sample(text, 'fcv_calls_ended_total', { status: 'other' }), 2);
  });
});

describe('two apps in one process', () => {
  test('keep their counts apart', async () => {
    const one = createMetrics();
    const two = createMetrics();
    one.verified('pk_one', 'phone', 'flash');
    const labels = { site: 'pk_one', mode: 'phone', channel: 'flash' };
    assert.equal(sample(await one.registry.metrics(), 'fcv_verifications_verified_total', labels), 1);
    assert.equal(sample(await two.registry.metrics(), 'fcv_verifications_verified_total', labels), undefined);
  });
});

describe('metrics on a running server', () => {
  test('are served nowhere when off', async () => {
    const sandbox = await startSandbox();
    try {
      assert.equal(sandbox.server.metricsUrl, undefined);
      assert.equal((await sandbox.request('/metrics')).status, 404);
    } finally {
      await sandbox.close();
    }
  });

  test('count a verification from start to redemption, on a loopback listener of their own', async () => {
    const sandbox = await startSandbox({ FCV_METRICS: 'on', FCV_METRICS_PORT: '0', FCV_RESEND_SECONDS: '30' });
    try {
      const metricsUrl = sandbox.server.metricsUrl!;
      assert.match(metricsUrl, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      assert.notEqual(new URL(metricsUrl).port, String(sandbox.server.port));
      assert.equal((await sandbox.request('/metrics')).status, 404, "not on the pages' origin");
      const scrape = async () => {
        const response = await fetch(metricsUrl);
        assert.equal(response.status, 200);
        assert.equal(response.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
        return response.text();
      };

      const started = await sandbox.start();
      assert.equal(started.status, 201);
      assert.equal((await sandbox.start()).status, 429, 'the resend cooldown');
      assert.equal((await sandbox.start({ phone: '+448001234567' })).status, 422);
      assert.equal((await sandbox.start({ siteKey: 'pk_made_up' })).status, 400);
      const code = await sandbox.codeFor(SANDBOX_PHONE, started.body.codeLength);
      assert.equal((await sandbox.check(started.body.id, wrongCode(code))).status, 422);
      const verified = await sandbox.check(started.body.id, code);
      assert.equal(verified.status, 200);
      assert.equal((await sandbox.siteverify(verified.body.token)).body.success, true);
      assert.equal((await sandbox.siteverify(verified.body.token)).body.success, false);

      // Verifying hangs up the ringing call; the provider then reports how it ended.
      await eventually(
        async () => sample(await scrape(), 'fcv_calls_ended_total', { status: 'completed' }) === 1,
        'the call end is counted',
      );

      const text = await scrape();
      assertExposition(text);
      const site = { site: 'pk_sandbox' };
      assert.equal(sample(text, 'fcv_verifications_started_total', { ...site, country: 'GB', mode: 'phone', channel: 'flash' }), 1);
      assert.equal(sample(text, 'fcv_verifications_verified_total', { ...site, mode: 'phone', channel: 'flash' }), 1);
      assert.equal(sample(text, 'fcv_wrong_codes_total', site), 1);
      assert.equal(sample(text, 'fcv_verifications_failed_total', { ...site, reason: 'rate_limited' }), 1);
      assert.equal(sample(text, 'fcv_verifications_failed_total', { ...site, reason: 'unsupported_number_type' }), 1);
      assert.equal(sample(text, 'fcv_verifications_failed_total', { site: 'unknown', reason: 'unknown_site' }), 1);
      assert.ok(!text.includes('pk_made_up'), 'a made-up site key never becomes a label');
      assert.equal(sample(text, 'fcv_rate_limit_hits_total', { ...site, scope: 'resend', enforced: 'true' }), 1);
      assert.equal(sample(text, 'fcv_provider_call_duration_seconds_count', { outcome: 'ok', channel: 'flash' }), 1);
      assert.equal(sample(text, 'fcv_siteverify_total', { result: 'success' }), 1);
      assert.equal(sample(text, 'fcv_siteverify_total', { result: 'timeout-or-duplicate' }), 1);
      assert.equal(sample(text, 'fcv_provider_circuit_state', { state: 'closed' }), 1);
      assert.ok((sample(text, 'process_resident_memory_bytes') ?? 0) > 0);
      assert.ok(!text.includes(SANDBOX_PHONE.slice(1)), 'no phone number in any label');
    } finally {
      await sandbox.close();
    }
  });

  test('count locked sessions and provider failures by reason', async () => {
    const sandbox = await startSandbox({ FCV_METRICS: 'on', FCV_METRICS_PORT: '0' });
    try {
      const started = await sandbox.start();
      const code = await sandbox.codeFor(SANDBOX_PHONE, started.body.codeLength);
      for (let i = 0; i < 3; i++) await sandbox.check(started.body.id, wrongCode(code));
      assert.equal((await sandbox.check(started.body.id, code)).status, 423);
      const text = await (await fetch(sandbox.server.metricsUrl!)).text();
      assert.equal(sample(text, 'fcv_wrong_codes_total', { site: 'pk_sandbox' }), 3);
      assert.equal(sample(text, 'fcv_verifications_failed_total', { site: 'pk_sandbox', reason: 'too_many_attempts' }), 1, 'counted once');
    } finally {
      await sandbox.close();
    }

    const { ProviderError } = await import('../../server/telephony/provider.js');
    const failing = await startSandbox(
      { FCV_METRICS: 'on', FCV_METRICS_PORT: '0' },
      {
        provider: {
          placeCall: async () => {
            throw new ProviderError('down', 'timeout');
          },
          hangUp: async () => {},
        },
      },
    );
    try {
      assert.equal((await failing.start()).status, 502);
      const text = await (await fetch(failing.server.metricsUrl!)).text();
      assert.equal(sample(text, 'fcv_provider_call_duration_seconds_count', { outcome: 'timeout', channel: 'flash' }), 1);
      assert.equal(sample(text, 'fcv_verifications_failed_total', { site: 'pk_sandbox', reason: 'provider_unavailable' }), 1);
    } finally {
      await failing.close();
    }
  });

  test('on the main port only with the bearer token', async () => {
    const token = 'metrics-token-0123456789';
    const sandbox = await startSandbox({ FCV_METRICS: 'on', FCV_METRICS_PORT: 'off', FCV_METRICS_TOKEN: token });
    try {
      assert.equal(sandbox.server.metricsUrl, undefined);
      assert.equal((await sandbox.request('/metrics')).status, 401);
      assert.equal((await sandbox.request('/metrics', { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status, 401);
      const answer = await sandbox.request('/metrics', { headers: { authorization: `Bearer ${token}`, origin: PAGE_ORIGIN } });
      assert.equal(answer.status, 200);
      assert.equal(answer.headers.get('access-control-allow-origin'), null, 'no page may read it');
      assertExposition(answer.body);
    } finally {
      await sandbox.close();
    }
  });
});
