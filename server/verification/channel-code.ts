import type { Random } from '../random.js';
import { keyedHash } from './secrets.js';

/** Digits of a code that is spoken or texted: the caller ID does not limit it, and six is what people expect. */
export const SPOKEN_CODE_LENGTH = 6;

export function drawCode(random: Random, length = SPOKEN_CODE_LENGTH): string {
  let code = '';
  for (let i = 0; i < length; i++) code += String(random.int(10));
  return code;
}

/**
 * Only the hash of a code is stored, but a voice call's RCML must say it, and unlike a flash call's its caller
 * ID does not carry it. So the session keeps it masked, each digit shifted by a pad only this server can
 * derive: from the secret and the code's own hash, so a new code gets a new pad and the store alone reveals
 * nothing.
 */
export function maskCode(secret: Uint8Array, codeHash: string, code: string): string {
  const pad = codePad(secret, codeHash, code.length);
  return [...code].map((digit, i) => String((Number(digit) + pad[i]!) % 10)).join('');
}

export function unmaskCode(secret: Uint8Array, codeHash: string, masked: string): string {
  const pad = codePad(secret, codeHash, masked.length);
  return [...masked].map((digit, i) => String((Number(digit) + 10 - pad[i]!) % 10)).join('');
}

function codePad(secret: Uint8Array, codeHash: string, length: number): number[] {
  const bytes = Buffer.from(keyedHash(secret, 'voice-code', codeHash), 'base64url');
  // 256 is not a multiple of 10, so a byte mod 10 leans towards 0-5; a 4-bit nibble below 10 does not.
  const pad: number[] = [];
  for (const byte of bytes) {
    for (const nibble of [byte >> 4, byte & 15]) if (nibble < 10 && pad.length < length) pad.push(nibble);
  }
  if (pad.length < length) throw new RangeError('code too long for its pad');
  return pad;
}
