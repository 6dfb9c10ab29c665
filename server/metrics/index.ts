import type { CircuitState } from '../telephony/circuit-breaker.js';
import { Registry } from './registry.js';

export { CONTENT_TYPE, Counter, Gauge, Histogram, Registry } from './registry.js';
export { metricsRoutes } from './routes.js';
export type { MetricsRoutesOptions } from './routes.js';

/**
 * What the server counts. Every label value comes from a closed set (configured site keys, ISO country
 * codes, problem codes, provider error kinds, call statuses), so no request can mint new series.
 */
export interface FlashCallMetrics {
  readonly registry: Registry;
  started(site: string, country: string): void;
  verified(site: string): void;
  wrongCode(site: string): void;
  /** A verification that ended without a token, or a start that was refused; `reason` is the problem code. */
  failed(site: string, reason: string): void;
  rateLimited(site: string, scope: string, enforced: boolean): void;
  /** One attempt to place a call: `outcome` is `ok` or the provider error's kind. */
  providerCall(outcome: string, seconds: number): void;
  /** A call's end as the provider reported it: `completed`, `busy`, `no-answer`, `failed`, `canceled`… */
  callEnded(status: string): void;
  /** A siteverify answer: `success`, or its first error code. */
  siteverify(result: string): void;
  circuit(state: CircuitState): void;
}

const CALL_END_STATUSES = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled', 'not-found']);
const CIRCUIT_STATES: readonly CircuitState[] = ['closed', 'half-open', 'open'];

/** A fresh registry with the server's metrics and the usual process ones. One per process. */
export function createMetrics(): FlashCallMetrics {
  const registry = new Registry();
  const started = registry.counter('fcv_verifications_started_total', 'Verifications whose call was placed.', ['site', 'country']);
  const verified = registry.counter('fcv_verifications_verified_total', 'Verifications completed with a correct code.', ['site']);
  const wrongCodes = registry.counter('fcv_wrong_codes_total', 'Wrong codes entered.', ['site']);
  const failed = registry.counter(
    'fcv_verifications_failed_total',
    'Starts refused and verifications ended without a token, by problem code.',
    ['site', 'reason'],
  );
  const rateLimited = registry.counter(
    'fcv_rate_limit_hits_total',
    'Requests over a limit; enforced="false" for sites in dry-run mode, which only log.',
    ['site', 'scope', 'enforced'],
  );
  const providerLatency = registry.histogram(
    'fcv_provider_call_duration_seconds',
    'Time taken by the telephony provider to accept (or refuse) a call.',
    ['outcome'],
    [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
  );
  const callsEnded = registry.counter('fcv_calls_ended_total', 'Calls by final status as the provider reported it.', ['status']);
  const siteverify = registry.counter('fcv_siteverify_total', 'Token redemptions, by result or error code.', ['result']);
  const circuit = registry.gauge('fcv_provider_circuit_state', 'The provider circuit breaker: 1 for the current state.', ['state']);
  for (const state of CIRCUIT_STATES) circuit.set({ state }, state === 'closed' ? 1 : 0);

  const startTime = registry.gauge('process_start_time_seconds', 'Start time of the process since the Unix epoch, in seconds.');
  const cpu = registry.counter('process_cpu_seconds_total', 'User and system CPU time spent, in seconds.');
  const rss = registry.gauge('process_resident_memory_bytes', 'Resident memory size, in bytes.');
  const heap = registry.gauge('nodejs_heap_used_bytes', 'V8 heap in use, in bytes.');
  startTime.set({}, Math.round(Date.now() / 1000 - process.uptime()));
  let cpuSeen = 0;
  registry.beforeCollect(() => {
    const usage = process.cpuUsage();
    const seconds = (usage.user + usage.system) / 1e6;
    cpu.inc({}, Math.max(0, seconds - cpuSeen));
    cpuSeen = Math.max(cpuSeen, seconds);
    const memory = process.memoryUsage();
    rss.set({}, memory.rss);
    heap.set({}, memory.heapUsed);
  });

  return {
    registry,
    started: (site, country) => started.inc({ site, country }),
    verified: (site) => verified.inc({ site }),
    wrongCode: (site) => wrongCodes.inc({ site }),
    failed: (site, reason) => failed.inc({ site, reason }),
    rateLimited: (site, scope, enforced) => rateLimited.inc({ site, scope, enforced: String(enforced) }),
    providerCall: (outcome, seconds) => providerLatency.observe({ outcome }, seconds),
    callEnded: (status) => callsEnded.inc({ status: CALL_END_STATUSES.has(status) ? status : 'other' }),
    siteverify: (result) => siteverify.inc({ result }),
    circuit: (state) => {
      for (const each of CIRCUIT_STATES) circuit.set({ state: each }, each === state ? 1 : 0);
    },
  };
}
