import type { Clock } from '../clock.js';
import type { LimitRule, LimitScope } from '../config.js';
import { HttpProblem } from '../errors.js';
import type { Store } from '../store/store.js';

/** The configured scopes, and `channel`: a site's daily cap of one channel (`site:channel`). */
export type LimitSubjects = Record<LimitScope | 'channel', string>;

export interface CountedRule extends Omit<LimitRule, 'scope'> {
  scope: LimitScope | 'channel';
}

/** Gives back what a request counted, for a call that was never placed. */
export type Refund = () => Promise<void>;

export interface ConsumeOptions {
  /** Count, and report a limit that trips through `onWouldBlock`, but let the request through. */
  dryRun?: boolean;
  onWouldBlock?: (problem: HttpProblem, rule: string) => void;
  /** A limit refused the request. */
  onBlock?: (rule: string) => void;
}

interface Window {
  key: string;
  windowMs: number;
  max: number;
}

/**
 * Fixed-window counters in the store, so limits hold across instances. The resend cooldown is a window of
 * one call per phone.
 */
export class RateLimiter {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly resendSeconds: number,
  ) {}

  async consume(rules: readonly CountedRule[], subjects: LimitSubjects, options: ConsumeOptions = {}): Promise<Refund> {
    const windows: Window[] = rules.map((rule) => ({
      key: `limit:${rule.scope}:${rule.windowSeconds}:${subjects[rule.scope]}`,
      windowMs: rule.windowSeconds * 1000,
      max: rule.max,
    }));
    if (this.resendSeconds > 0) {
      windows.unshift({ key: `resend:${subjects.phone}`, windowMs: this.resendSeconds * 1000, max: 1 });
    }
    const refund: Refund = async () => {
      await Promise.all(windows.map(({ key, windowMs }) => this.store.increment(key, windowMs, -1)));
    };
    // All at once: with a shared store that is one round trip instead of one a window.
    const counts = await Promise.all(windows.map(({ key, windowMs }) => this.store.increment(key, windowMs)));
    for (const [index, window] of windows.entries()) {
      const { count, resetAt } = counts[index]!;
      if (count <= window.max) continue;
      const retryAfter = Math.max(1, Math.ceil((resetAt - this.clock.now()) / 1000));
      const rule = window.key.split(':').slice(0, 3).join(':');
      // The scope lets a page say what happened: "we just called this number" is not "too many attempts".
      const scope = rule.startsWith('resend:') ? 'resend' : rule.split(':')[1]!;
      const problem = new HttpProblem(429, 'rate_limited', undefined, { retryAfter, limit: scope }, { 'Retry-After': String(retryAfter) });
      if (options.dryRun) {
        options.onWouldBlock?.(problem, rule);
        continue;
      }
      options.onBlock?.(rule);
      // A refused request should not stretch anybody's budget further.
      await refund();
      throw problem;
    }
    return refund;
  }
}
