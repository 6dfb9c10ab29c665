import type { Clock } from '../../server/clock.js';

/** Real time plus an offset a test can move forward, so timers still run while expiry can be jumped to. */
export class TestClock implements Clock {
  offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
