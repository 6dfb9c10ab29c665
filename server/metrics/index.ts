import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Channel } from '../config.js';
import type { CircuitState } from '../telephony/circuit-breaker.js';

export { Counter, Gauge, Histogram, Registry } from 'prom-client';
export { metricsRoutes } from './routes.js';
export type { MetricsRoutesOptions } from './routes.js';

/**
 * What the server counts. Every label value comes from a closed set (configured site keys, ISO country
 * codes, problem codes, provider error kinds, call statuses), so no request can mint new series.
 */
export interface FlashCallMetrics {
  /** A registry of this app's own, never prom-client's global one, so two apps in one process keep apart. */
  readonly registry: Registry;
  /** `mode` is `phone` for a number typed in the page, `challenge` for one the site's backend named. */
  started(site: string, country: string, mode: VerificationMode, channel: Channel): void;
  /** `channel` is the one whose code was typed. */
  verified(site: string, mode: VerificationMode, channel: Channel): void;
  /** A new code sent on a session by another channel. */
  fallback(site: string, channel: Channel): void;
  challengeCreated(site: string): void;
  wrongCode(site: string): void;
  /** A verification that ended without a token, or a start that was refused; `reason` is the problem code. */
  failed(site: string, reason: string): void;
  rateLimited(site: string, scope: string, enforced: boolean): void;
  /** One attempt to place a call or send a text: `outcome` is `ok` or the provider error's kind. */
  providerCall(outcome: string, channel: Channel, seconds: number): void;
  /** A call's end as the provider reported it: `completed`, `busy`, `no-answer`, `failed`, `canceled`… */
  callEnded(status: string): void;
  /** A siteverify answer: `success`, or its first error code. */
  siteverify(result: string): void;
  circuit(state: CircuitState): void;
}

export type VerificationMode = 'phone' | 'challenge';

const CALL_END_STATUSES = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled', 'not-found']);
const CIRCUIT_STATES: readonly CircuitState[] = ['closed', 'half-open', 'open'];

/**
 * A fresh registry with the server's metrics and four process ones. prom-client's default metrics are left
 * out: they start an event-loop monitor and a GC observer per registry, which no app can stop again.
 */
export function createMetrics(): FlashCallMetrics {
  const registry = new Registry();
  const registers = [registry];
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Counter<L>({ name, help, labelNames, registers });

  const started = counter('fcv_verifications_started_total', 'Verifications whose first code was sent, by its channel.', [
    'site',
    'country',
    'mode',
    'channel',
  ]);
  const verified = counter('fcv_verifications_verified_total', 'Verifications completed with a correct code, by its channel.', [
    'site',
    'mode',
    'channel',
  ]);
  const fallbacks = counter('fcv_fallbacks_total', 'New codes sent on a session by another channel.', ['site', 'channel']);
  const challenges = counter('fcv_challenges_created_total', "Challenges created by sites' backends.", ['site']);
  const wrongCodes = counter('fcv_wrong_codes_total', 'Wrong codes entered.', ['site']);
  const failed = counter('fcv_verifications_failed_total', 'Starts refused and verifications ended without a token, by problem code.', [
    'site',
    'reason',
  ]);
  const rateLimited = counter(
    'fcv_rate_limit_hits_total',
    'Requests over a limit; enforced="false" for sites in dry-run mode, which only log.',
    ['site', 'scope', 'enforced'],
  );
  const providerLatency = new Histogram<'outcome' | 'channel'>({
    name: 'fcv_provider_call_duration_seconds',
    help: 'Time taken by the telephony provider to accept (or refuse) a call or a text.',
    labelNames: ['outcome', 'channel'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
    registers,
  });
  const callsEnded = counter('fcv_calls_ended_total', 'Calls by final status as the provider reported it.', ['status']);
  const siteverify = counter('fcv_siteverify_total', 'Token redemptions, by result or error code.', ['result']);
  const circuit = new Gauge<'state'>({
    name: 'fcv_provider_circuit_state',
    help: 'The provider circuit breaker: 1 for the current state.',
    labelNames: ['state'],
    registers,
  });
  for (const state of CIRCUIT_STATES) circuit.set({ state }, state === 'closed' ? 1 : 0);

  const startedAt = Math.round(Date.now() / 1000 - process.uptime());
  new Gauge({
    name: 'process_start_time_seconds',
    help: 'Start time of the process since the Unix epoch, in seconds.',
    registers,
    collect() {
      this.set(startedAt);
    },
  });
  let cpuSeen = 0;
  new Counter({
    name: 'process_cpu_seconds_total',
    help: 'User and system CPU time spent, in seconds.',
    registers,
    collect() {
      const usage = process.cpuUsage();
      const seconds = (usage.user + usage.system) / 1e6;
      this.inc(Math.max(0, seconds - cpuSeen));
      cpuSeen = Math.max(cpuSeen, seconds);
    },
  });
  new Gauge({
    name: 'process_resident_memory_bytes',
    help: 'Resident memory size, in bytes.',
    registers,
    collect() {
      this.set(process.memoryUsage.rss());
    },
  });
  new Gauge({
    name: 'nodejs_heap_used_bytes',
    help: 'V8 heap in use, in bytes.',
    registers,
    collect() {
      this.set(process.memoryUsage().heapUsed);
    },
  });

  return {
    registry,
    started: (site, country, mode, channel) => started.inc({ site, country, mode, channel }),
    verified: (site, mode, channel) => verified.inc({ site, mode, channel }),
    fallback: (site, channel) => fallbacks.inc({ site, channel }),
    challengeCreated: (site) => challenges.inc({ site }),
    wrongCode: (site) => wrongCodes.inc({ site }),
    failed: (site, reason) => failed.inc({ site, reason }),
    rateLimited: (site, scope, enforced) => rateLimited.inc({ site, scope, enforced: String(enforced) }),
    providerCall: (outcome, channel, seconds) => providerLatency.observe({ outcome, channel }, seconds),
    callEnded: (status) => callsEnded.inc({ status: CALL_END_STATUSES.has(status) ? status : 'other' }),
    siteverify: (result) => siteverify.inc({ result }),
    circuit: (state) => {
      for (const each of CIRCUIT_STATES) circuit.set({ state: each }, each === state ? 1 : 0);
    },
  };
}
