import type { Channel } from '../config.js';
import type { SessionStatus } from '../protocol.js';
import { FINAL_STATUSES } from '../schemas.js';

export type { SessionStatus };

/** A verification from start to token, as stored. Never sent to a browser as is: see `publicView`. */
export interface Session {
  id: string;
  siteKey: string;
  /** E.164. */
  phone: string;
  country: string;
  status: SessionStatus;
  /** HMAC of the code; the code itself is never stored. */
  codeHash: string;
  codeLength: number;
  /** The caller ID without its code digits, E.164 style (`+4474183`); empty for a code sent by voice or SMS. */
  callerIdPrefix: string;
  /** The call now placed (flash or voice); absent for a text. */
  callSid?: string;
  /** Highest provider sequence number applied, so replays and late events never move the status back. */
  callSequence?: number;
  /** How the call ended, in the provider's words, once its final status callback arrived. */
  callEnded?: string;
  attemptsLeft: number;
  locale: string;
  /** Origin of the page that started it; reported to the site's backend as `hostname`. */
  origin: string;
  createdAt: number;
  expiresAt: number;
  resendAt: number;
  verifiedAt?: number;
  /** Set when a challenge chose the number: its id (for the spent mark), what it confirms, and the number as the page may see it. */
  challengeId?: string;
  action?: string;
  context?: string;
  phoneMasked?: string;
  /** How the current code was sent; absent means `flash`, as every session was before there were others. */
  channel?: Channel;
  /** A voice code, masked (channel-code.ts): the call's RCML says it, and its caller ID does not carry it. */
  voiceCode?: string;
  /** The call a fallback replaced: its late callbacks change nothing. */
  replacedCallSid?: string;
}

export const TERMINAL_STATUSES: ReadonlySet<SessionStatus> = new Set(FINAL_STATUSES);
