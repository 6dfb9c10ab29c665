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

/**
 * Every field of a session but its id, in the order they are written: the required ones, then those a
 * session may lack, which are written as null when absent and left off when trailing. The one list every
 * function here reads; the checks below it make the build fail when it and `Session` disagree.
 */
const FIELDS = [
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
  ['callSid', 'string', 'optional'],
  ['callSequence', 'number', 'optional'],
  ['callEnded', 'string', 'optional'],
  ['verifiedAt', 'number', 'optional'],
  ['challengeId', 'string', 'optional'],
  ['action', 'string', 'optional'],
  ['context', 'string', 'optional'],
  ['phoneMasked', 'string', 'optional'],
  ['channel', 'string', 'optional'],
  ['voiceCode', 'string', 'optional'],
  ['replacedCallSid', 'string', 'optional'],
] as const satisfies ReadonlyArray<readonly [keyof Session, 'string' | 'number', 'optional'?]>;

type Field = (typeof FIELDS)[number];
type Listed = Field[0];
type ListedOptional = Extract<Field, readonly [string, string, 'optional']>[0];
type OptionalKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? K : never }[keyof T];
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type WrongType = {
  [F in Field as F[0]]: NonNullable<Session[F[0]]> extends (F[1] extends 'string' ? string : number) ? never : F[0];
}[Listed];
/** Each field of a session but its id is listed, nothing else is, and each as optional and of the type it is. */
const listsSession: [Same<Listed, Exclude<keyof Session, 'id'>>, Same<ListedOptional, OptionalKeys<Session>>, Same<WrongType, never>] = [
  true,
  true,
  true,
];
void listsSession;

const NAMES: readonly string[] = FIELDS.map(([name]) => name);
const INDEX = new Map(NAMES.map((name, i) => [name, i]));
const NUMBERS: readonly boolean[] = FIELDS.map(([, type]) => type === 'number');
const REQUIRED = FIELDS.findIndex((field) => field.length === 3);

type Fields = Record<string, unknown>;

/** The stored text of `session`, kept under `id`. */
export function encodeSession(session: Session, id: string): string {
  return compactText(session, id) ?? JSON.stringify(session);
}

/**
 * The compact text of `session`, or undefined when it would not read back the same: a required field missing,
 * a field of another type, or one not listed. It goes by the fields the session has rather than looking up each
 * listed one: sessions built by spreading another are slow to ask for fields they lack, and most lack most.
 */
function compactText(session: Session, id: string): string | undefined {
  if (typeof session.id !== 'string') return undefined;
  const fields = session as unknown as Fields;
  const values: unknown[] = [session.id === id ? 0 : session.id];
  let required = 0;
  let last = REQUIRED - 1;
  for (const name in fields) {
    const value = fields[name];
    if (name === 'id' || value === undefined) continue;
    const i = INDEX.get(name);
    if (i === undefined || !(NUMBERS[i] ? isPlainNumber(value) : typeof value === 'string')) return undefined;
    values[i + 1] = value;
    if (i < REQUIRED) required++;
    else if (i > last) last = i;
  }
  if (required !== REQUIRED) return undefined;
  // Absent optional fields before the last present one are written as null.
  for (let i = 1; i <= last + 1; i++) values[i] ??= null;
  return JSON.stringify(values);
}

/** A fresh session from text written by `encodeSession` under `id`. */
export function decodeSession(text: string, id: string): Session {
  if (text.charCodeAt(0) !== 0x5b /* [ */) return JSON.parse(text) as Session;
  const values = JSON.parse(text) as unknown[];
  return fromValues(values, values[0] === 0 ? id : values[0]);
}

/**
 * What `decodeSession` would return for `text` that `encodeSession` just wrote from `session`:
 * written compactly, the session has only known fields of plain values, so a shallow copy is the same.
 */
export function decodeWritten(text: string, session: Session): Session {
  if (text.charCodeAt(0) !== 0x5b /* [ */) return JSON.parse(text) as Session;
  // Field by field as the session has them, like compactText: sessions built by spreading another are slow to
  // ask for the fields they lack.
  const copy: Fields = {};
  for (const name in session) {
    const value = (session as unknown as Fields)[name];
    if (value !== undefined) copy[name] = value;
  }
  return copy as unknown as Session;
}

/*
 * Reading a session is on every request's path, so this is written out from FIELDS once, at load: an object
 * literal of every required field is a third quicker to build than the same fields set one by one. The names
 * come from FIELDS above, never from input.
 */
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- built from FIELDS, never from input (see above)
const fromValues = new Function(
  'v',
  'id',
  `const s = { id, ${NAMES.slice(0, REQUIRED)
    .map((name, i) => `${name}: v[${i + 1}]`)
    .join(', ')} };
  ${NAMES.slice(REQUIRED)
    .map((name, i) => `if (v[${REQUIRED + i + 1}] != null) s.${name} = v[${REQUIRED + i + 1}];`)
    .join('\n  ')}
  return s;`,
) as (values: unknown[], id: unknown) => Session;

/** A number that JSON writes and reads back as itself (not NaN, ±Infinity or -0). */
function isPlainNumber(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && !Object.is(value, -0);
}
