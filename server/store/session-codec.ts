import type { Session } from '../verification/session.js';

/**
 * Sessions as the memory store holds them: a JSON array of the values in a fixed order, without the field
 * names and without the id, which is the key it is stored under. About half the text of the JSON object,
 * and quicker to parse.
 *
 * Only a session that reads back exactly the same way is written so: known fields only, each of its type,
 * numbers finite. Anything else is kept as the JSON object it always was, so what is read back is in every
 * case what JSON would have made of it.
 */

/** Required fields, in the order they are written. */
const STRINGS_AND_NUMBERS = [
  ['siteKey', 'string'],
  ['phone', 'string'],
  ['country', 'string'],
  ['status', 'string'],
  ['codeHash', 'string'],
  ['codeLength', 'number'],
  ['callerIdPrefix', 'string'],
  ['attemptsLeft', 'number'],
  ['locale', 'string'],
  ['origin', 'string'],
  ['createdAt', 'number'],
  ['expiresAt', 'number'],
  ['resendAt', 'number'],
] as const;

/** Fields a session may lack, written after the required ones as null when absent; trailing ones left off. */
const OPTIONAL = [
  ['callSid', 'string'],
  ['callSequence', 'number'],
  ['callEnded', 'string'],
  ['verifiedAt', 'number'],
] as const;

type Compact = [
  id: string | 0,
  siteKey: string,
  phone: string,
  country: string,
  status: Session['status'],
  codeHash: string,
  codeLength: number,
  callerIdPrefix: string,
  attemptsLeft: number,
  locale: string,
  origin: string,
  createdAt: number,
  expiresAt: number,
  resendAt: number,
  callSid?: string | null,
  callSequence?: number | null,
  callEnded?: string | null,
  verifiedAt?: number | null,
];

/** The stored text of `session`, kept under `id`. */
export function encodeSession(session: Session, id: string): string {
  if (!compactable(session)) return JSON.stringify(session);
  const values: Compact = [
    session.id === id ? 0 : session.id,
    session.siteKey,
    session.phone,
    session.country,
    session.status,
    session.codeHash,
    session.codeLength,
    session.callerIdPrefix,
    session.attemptsLeft,
    session.locale,
    session.origin,
    session.createdAt,
    session.expiresAt,
    session.resendAt,
  ];
  const { callSid, callSequence, callEnded, verifiedAt } = session;
  if (verifiedAt !== undefined) values.push(callSid ?? null, callSequence ?? null, callEnded ?? null, verifiedAt);
  else if (callEnded !== undefined) values.push(callSid ?? null, callSequence ?? null, callEnded);
  else if (callSequence !== undefined) values.push(callSid ?? null, callSequence);
  else if (callSid !== undefined) values.push(callSid);
  return JSON.stringify(values);
}

/** A fresh session from text written by `encodeSession` under `id`. */
export function decodeSession(text: string, id: string): Session {
  if (text.charCodeAt(0) !== 0x5b /* [ */) return JSON.parse(text) as Session;
  const v = JSON.parse(text) as Compact;
  const session: Session = {
    id: v[0] === 0 ? id : v[0],
    siteKey: v[1],
    phone: v[2],
    country: v[3],
    status: v[4],
    codeHash: v[5],
    codeLength: v[6],
    callerIdPrefix: v[7],
    attemptsLeft: v[8],
    locale: v[9],
    origin: v[10],
    createdAt: v[11],
    expiresAt: v[12],
    resendAt: v[13],
  };
  if (v.length > 14) {
    if (v[14] != null) session.callSid = v[14];
    if (v[15] != null) session.callSequence = v[15];
    if (v[16] != null) session.callEnded = v[16];
    if (v[17] != null) session.verifiedAt = v[17];
  }
  return session;
}

/**
 * What `decodeSession` would return for `text` that `encodeSession` just wrote from `session`:
 * written compactly, the session has only known fields of plain values, so a shallow copy is the same.
 */
export function decodeWritten(text: string, session: Session): Session {
  if (text.charCodeAt(0) !== 0x5b /* [ */) return JSON.parse(text) as Session;
  const copy: Session = {
    id: session.id,
    siteKey: session.siteKey,
    phone: session.phone,
    country: session.country,
    status: session.status,
    codeHash: session.codeHash,
    codeLength: session.codeLength,
    callerIdPrefix: session.callerIdPrefix,
    attemptsLeft: session.attemptsLeft,
    locale: session.locale,
    origin: session.origin,
    createdAt: session.createdAt,
    expiresAt: session.expiresAt,
    resendAt: session.resendAt,
  };
  if (session.callSid !== undefined) copy.callSid = session.callSid;
  if (session.callSequence !== undefined) copy.callSequence = session.callSequence;
  if (session.callEnded !== undefined) copy.callEnded = session.callEnded;
  if (session.verifiedAt !== undefined) copy.verifiedAt = session.verifiedAt;
  return copy;
}

function compactable(session: Session): boolean {
  if (typeof session.id !== 'string') return false;
  const fields = session as unknown as Record<string, unknown>;
  for (const [name, type] of STRINGS_AND_NUMBERS) if (!fits(fields[name], type)) return false;
  let present = 1 + STRINGS_AND_NUMBERS.length;
  for (const [name, type] of OPTIONAL) {
    const value = fields[name];
    if (value === undefined) continue;
    if (!fits(value, type)) return false;
    present++;
  }
  // Any other field that JSON would keep means the session is not all known fields.
  let kept = 0;
  for (const name in fields) if (fields[name] !== undefined) kept++;
  return kept === present;
}

/** A string, or a number that JSON writes and reads back as itself (not NaN, ±Infinity or -0). */
function fits(value: unknown, type: 'string' | 'number'): boolean {
  if (type === 'string') return typeof value === 'string';
  return typeof value === 'number' && Number.isFinite(value) && !Object.is(value, -0);
}
