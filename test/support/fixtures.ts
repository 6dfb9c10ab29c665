import { randomUUID } from 'node:crypto';
import type { Session } from '../../server/verification/session.js';
import type { SessionChange } from '../../server/store/store.js';

/** A stored session as the service would write it, for tests of the stores themselves. */
export function sessionFixture(overrides: Partial<Session> = {}): Session {
  const now = Date.now();
  return {
    id: randomUUID(),
    siteKey: 'pk_test',
    phone: '+447418301234',
    country: 'GB',
    status: 'calling',
    codeHash: 'hash',
    codeLength: 4,
    callerIdPrefix: '+44741830',
    attemptsLeft: 5,
    locale: 'en',
    origin: 'http://localhost:1234',
    createdAt: now,
    expiresAt: now + 60_000,
    resendAt: now + 30_000,
    ...overrides,
  };
}

/** A store change that only rewrites the session (or leaves it, on null), with nothing to report. */
export function rewrite(next: (session: Session) => Session | null): (session: Session) => SessionChange<undefined> {
  return (session) => ({ next: next(session), result: undefined });
}

/**
 * A session with every field set, none to a value a default or an absent field would give. Typed
 * `Required<Session>`, so a field added to sessions does not compile here until it is set too.
 */
export function everyFieldSession(): Required<Session> {
  return {
    id: randomUUID(),
    siteKey: 'pk_every_field',
    phone: '+33612345678',
    country: 'FR',
    status: 'ringing',
    codeHash: 'c0ffee',
    codeLength: 6,
    callerIdPrefix: '+3361234',
    callSid: 'CA0123456789abcdef0123456789abcdef',
    callSequence: 7,
    callEnded: 'no-answer',
    attemptsLeft: 2,
    locale: 'fr-CA',
    origin: 'https://shop.example',
    createdAt: 1_700_000_000_001,
    expiresAt: 1_700_000_600_002,
    resendAt: 1_700_000_030_003,
    verifiedAt: 1_700_000_100_004,
    challengeId: 'Zm9vYmFyYmF6cXV4cXV1eA',
    action: 'payment',
    context: 'pay_8f2c',
    phoneMasked: '+33 6 •• •• 56 78',
    channel: 'voice',
    voiceCode: '391027',
    replacedCallSid: 'CAfedcba9876543210fedcba9876543210',
  };
}
