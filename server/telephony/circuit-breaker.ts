import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import type { PlaceCallRequest, PlacedCall, TelephonyProvider } from './provider.js';
import { ProviderError } from './provider.js';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold?: number;
  /** How long an open circuit fails fast before one probe call is let through. */
  openMs?: number;
  clock?: Clock;
  onChange?: (state: CircuitState) => void;
}

export type CircuitState = 'closed' | 'open' | 'half-open';

/** Failures that say the provider is unwell; a refused number (`rejected`) says nothing about its health. */
const COUNTED = new Set<ProviderError['kind']>(['timeout', 'network', 'auth', 'server', 'malformed']);

/**
 * Stops sending calls to a provider that keeps failing, so users get an answer at once instead of after a
 * timeout each, and the provider is not hammered while it recovers. Hang-ups pass straight through.
 */
export function withCircuitBreaker(
  provider: TelephonyProvider,
  options: CircuitBreakerOptions = {},
): TelephonyProvider & {
  readonly state: CircuitState;
} {
  const threshold = options.failureThreshold ?? 5;
  const openMs = options.openMs ?? 30_000;
  const clock = options.clock ?? systemClock;
  let state: CircuitState = 'closed';
  let failures = 0;
  let openedAt = 0;
  let probing = false;

  const move = (next: CircuitState) => {
    if (state === next) return;
    state = next;
    options.onChange?.(next);
  };

  return {
    get state() {
      return state;
    },
    async placeCall(request: PlaceCallRequest): Promise<PlacedCall> {
      if (state === 'open' && clock.now() - openedAt >= openMs) move('half-open');
      if (state === 'open' || (state === 'half-open' && probing)) {
        throw new ProviderError('the provider circuit is open after repeated failures', 'circuit-open', undefined, { refused: true });
      }
      const probe = state === 'half-open';
      if (probe) probing = true;
      try {
        const placed = await provider.placeCall(request);
        failures = 0;
        move('closed');
        return placed;
      } catch (error) {
        if (error instanceof ProviderError && COUNTED.has(error.kind)) {
          failures++;
          if (probe || failures >= threshold) {
            openedAt = clock.now();
            move('open');
          }
        } else if (probe) {
          move('closed');
        }
        throw error;
      } finally {
        if (probe) probing = false;
      }
    },
    hangUp: (sid, signal) => provider.hangUp(sid, signal),
  };
}
