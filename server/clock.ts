/** Milliseconds since the epoch. Injected so expiry and windows can be tested without waiting. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
