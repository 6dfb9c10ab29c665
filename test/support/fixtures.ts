import { randomUUID } from 'node:crypto';
import type { Session } from '../../server/verification/session.js';

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
