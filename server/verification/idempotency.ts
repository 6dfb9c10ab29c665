import type { Clock } from '../clock.js';
import { HttpProblem } from '../errors.js';
import type { ProblemCode } from '../errors.js';
import type { Random } from '../random.js';
import { randomId } from '../random.js';
import type { Store } from '../store/store.js';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

type Outcome<T> =
  | { ok: true; value: T }
  | {
      ok: false;
      status: ContentfulStatusCode;
      code: ProblemCode;
      detail?: string;
      extra: Record<string, unknown>;
      headers: Record<string, string>;
    };

interface Claim {
  owner: string;
  fingerprint: string;
}

export interface IdempotencyOptions {
  store: Store;
  random: Random;
  clock: Clock;
  ttlMs?: number;
  /** How long a repeat waits for the first request to finish before saying it is still in progress. */
  waitMs?: number;
  pollMs?: number;
}

/**
 * Runs work once per key: a repeat within the TTL gets the first answer, success or problem, and does no
 * work. A double click therefore never rings twice, even when the two requests reach different instances.
 */
export class Idempotency {
  readonly #ttlMs: number;
  readonly #waitMs: number;
  readonly #pollMs: number;

  constructor(private readonly options: IdempotencyOptions) {
    this.#ttlMs = options.ttlMs ?? 10 * 60 * 1000;
    this.#waitMs = options.waitMs ?? 12_000;
    this.#pollMs = options.pollMs ?? 100;
  }

  async run<T>(key: string, fingerprint: string, work: () => Promise<T>): Promise<T> {
    const { store, random } = this.options;
    const mine: Claim = { owner: randomId(random), fingerprint };
    const stored = JSON.parse(await store.putIfAbsent(`idem:${key}`, JSON.stringify(mine), this.#ttlMs)) as Claim;
    if (stored.fingerprint !== fingerprint) {
      throw new HttpProblem(422, 'invalid_request', 'This Idempotency-Key was already used for a different request.');
    }
    if (stored.owner !== mine.owner) return replay(await this.#awaitOutcome<T>(key));

    let outcome: Outcome<T>;
    try {
      outcome = { ok: true, value: await work() };
    } catch (error) {
      if (!(error instanceof HttpProblem)) throw error;
      outcome = {
        ok: false,
        status: error.status,
        code: error.code,
        detail: error.detail,
        extra: error.extra,
        headers: error.headers,
      };
    }
    await store.putIfAbsent(`idem:${key}:outcome`, JSON.stringify(outcome), this.#ttlMs);
    return replay(outcome);
  }

  async #awaitOutcome<T>(key: string): Promise<Outcome<T>> {
    const deadline = this.options.clock.now() + this.#waitMs;
    for (;;) {
      const raw = await this.options.store.getValue(`idem:${key}:outcome`);
      if (raw) return JSON.parse(raw) as Outcome<T>;
      if (this.options.clock.now() >= deadline) {
        throw new HttpProblem(409, 'invalid_request', 'A request with this Idempotency-Key is still in progress.');
      }
      await new Promise((resolve) => setTimeout(resolve, this.#pollMs));
    }
  }
}

function replay<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value;
  throw new HttpProblem(outcome.status, outcome.code, outcome.detail, outcome.extra, outcome.headers);
}
