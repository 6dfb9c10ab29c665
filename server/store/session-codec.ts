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
const NUMBERS: readonly boolean[] = FIELDS.map(([, type]) => type === 'number');
const REQUIRED = FIELDS.findIndex((field) => field.length === 3);

type Fields = Record<string, unknown>;

/** The stored text of `session`, kept under `id`. */
export function encodeSession(session: Session, id: string): string {
  if (!compactable(session)) return JSON.stringify(session);
  const fields = session as unknown as Fields;
  let end = NAMES.length;
  while (end > REQUIRED && fields[NAMES[end - 1]!] === undefined) end--;
  const values: unknown[] = [session.id === id ? 0 : session.id];
  for (let i = 0; i < end; i++) values.push(fields[NAMES[i]!] ?? null);
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
  return copyOf(session);
}

/*
 * Reading a session is on every request's path, so these two are written out from FIELDS once, at load: an
 * object literal of every required field is a third quicker to build than the same fields set one by one.
 * The names come from FIELDS above, never from input.
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

// eslint-disable-next-line @typescript-eslint/no-implied-eval -- built from FIELDS, never from input (see above)
const copyOf = new Function(
  'f',
  `const s = { id: f.id, ${NAMES.slice(0, REQUIRED)
    .map((name) => `${name}: f.${name}`)
    .join(', ')} };
  ${NAMES.slice(REQUIRED)
    .map((name) => `if (f.${name} !== undefined) s.${name} = f.${name};`)
    .join('\n  ')}
  return s;`,
) as (session: Session) => Session;

function compactable(session: Session): boolean {
  if (typeof session.id !== 'string') return false;
  const fields = session as unknown as Fields;
  let present = 1;
  for (let i = 0; i < NAMES.length; i++) {
    const value = fields[NAMES[i]!];
    if (value === undefined && i >= REQUIRED) continue;
    if (!fits(value, NUMBERS[i]!)) return false;
    present++;
  }
  // Any other field that JSON would keep means the session is not all known fields.
  let kept = 0;
  for (const name in fields) if (fields[name] !== undefined) kept++;
  return kept === present;
}

/** A string, or a number that JSON writes and reads back as itself (not NaN, ±Infinity or -0). */
function fits(value: unknown, number: boolean): boolean {
  if (!number) return typeof value === 'string';
  return typeof value === 'number' && Number.isFinite(value) && !Object.is(value, -0);
}
