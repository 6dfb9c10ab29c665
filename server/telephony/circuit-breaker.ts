import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import type { PlaceCallRequest, PlacedCall, SendSmsRequest, SentSms, TelephonyProvider } from './provider.js';
import { ProviderError } from './provider.js';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold?: number;
  /** How long an open circuit fails fast before one probe call is let through. */
  openMs?: number;
  clock?: Clock;
  /** The calls circuit. */
  onChange?: (state: CircuitState) => void;
  /** The text messages circuit. */
  onSmsChange?: (state: CircuitState) => void;
}

export type CircuitState = 'closed' | 'open' | 'half-open';

/** Failures that say the provider is unwell; a refused number (`rejected`) says nothing about its health. */
const COUNTED = new Set<ProviderError['kind']>(['timeout', 'network', 'auth', 'server', 'malformed']);

export interface GuardedProvider extends TelephonyProvider {
  /** The calls circuit. */
  readonly state: CircuitState;
  /** The text messages circuit. */
  readonly smsState: CircuitState;
}

/**
 * Stops sending calls to a provider that keeps failing, so users get an answer at once instead of after a
 * timeout each, and the provider is not hammered while it recovers. Hang-ups pass straight through.
 *
 * Calls and text messages have a circuit each: they are separate services behind one API (an SMS gateway
 * down, or an account's SMS limit reached, leaves calls working), so one failing does not stop the other.
 */
export function withCircuitBreaker(provider: TelephonyProvider, options: CircuitBreakerOptions = {}): GuardedProvider {
  const calls = circuit(options, options.onChange);
  const texts = circuit(options, options.onSmsChange);
  const sendSms = provider.sendSms?.bind(provider);
  return {
    get state() {
      return calls.state;
    },
    get smsState() {
      return texts.state;
    },
    placeCall: (request: PlaceCallRequest): Promise<PlacedCall> => calls.run(() => provider.placeCall(request)),
    hangUp: (sid, signal) => provider.hangUp(sid, signal),
    ...(sendSms ? { sendSms: (request: SendSmsRequest): Promise<SentSms> => texts.run(() => sendSms(request)) } : {}),
  };
}

function circuit(options: CircuitBreakerOptions, onChange: ((state: CircuitState) => void) | undefined) {
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
    onChange?.(next);
  };

  return {
    get state() {
      return state;
    },
    async run<T>(send: () => Promise<T>): Promise<T> {
      if (state === 'open' && clock.now() - openedAt >= openMs) move('half-open');
      if (state === 'open' || (state === 'half-open' && probing)) {
        throw new ProviderError('the provider circuit is open after repeated failures', 'circuit-open', undefined, { refused: true });
      }
      const probe = state === 'half-open';
      if (probe) probing = true;
      try {
        const result = await send();
        failures = 0;
        move('closed');
        return result;
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
  };
}
