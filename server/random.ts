import { randomBytes, randomInt } from 'node:crypto';

/** Source of secrets: codes, ids, hook tokens and verification tokens. Injected so tests can be deterministic. */
export interface Random {
  bytes(length: number): Uint8Array;
  /** Uniform integer in [0, max). */
  int(max: number): number;
}

export const cryptoRandom: Random = {
  bytes: (length) => new Uint8Array(randomBytes(length)),
  int: (max) => randomInt(max),
};

export function randomId(random: Random, bytes = 16): string {
  return Buffer.from(random.bytes(bytes)).toString('base64url');
}
