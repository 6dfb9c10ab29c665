import type { Clock } from '../clock.js';
import type { LimitRule } from '../config.js';
import { HttpProblem } from '../errors.js';
import type { Store } from '../store/store.js';

export interface LimitSubjects {
  phone: string;
  ip: string;
}

/** Gives back what a request counted, for a call that was never placed. */
export type Refund = () => Promise<void>;

interface Counted {
  key: string;
  windowMs: number;
}

/**
 * Fixed-window counters in the store, so limits hold across instances. The resend cooldown is a window of
 * one call per phone.
 */
export class RateLimiter {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly rules: readonly LimitRule[],
    private readonly resendSeconds: number,
  ) {}

  async consume(subjects: LimitSubjects): Promise<Refund> {
    const windows: Array<Counted & { max: number }> = this.rules.map((rule) => ({
      key: `limit:${rule.scope}:${rule.windowSeconds}:${subjects[rule.scope]}`,
      windowMs: rule.windowSeconds * 1000,
      max: rule.max,
    }));
    if (this.resendSeconds > 0) {
      windows.unshift({ key: `resend:${subjects.phone}`, windowMs: this.resendSeconds * 1000, max: 1 });
    }
    const counted: Counted[] = [];
    const refund: Refund = async () => {
      await Promise.all(counted.map(({ key, windowMs }) => this.store.increment(key, windowMs, -1)));
    };
    for (const window of windows) {
      const { count, resetAt } = await this.store.increment(window.key, window.windowMs);
      counted.push(window);
      if (count > window.max) {
        // A refused request should not stretch anybody's budget further.
        await refund();
        const retryAfter = Math.max(1, Math.ceil((resetAt - this.clock.now()) / 1000));
        throw new HttpProblem(429, 'rate_limited', undefined, { retryAfter }, { 'Retry-After': String(retryAfter) });
      }
    }
    return refund;
  }
}
