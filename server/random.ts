import { randomBytes, randomInt } from 'node:crypto';

/** Source of secrets: codes, ids, hook tokens and verification tokens. Injected so tests can be deterministic. */
export interface Random {
  bytes(length: number): Uint8Array;
  /** Uniform integer in [0, max). */
  int(max: number): number;
}

const POOL_BYTES = 4096;
let pool: Buffer = Buffer.alloc(0);
let used = 0;

/**
 * Secrets are drawn from a pool filled 4 KB at a time, as `crypto.randomUUID` does: asking the CSPRNG for
 * 16 bytes costs nearly as much as for 4 KB. Each byte is handed out once, copied out of the pool.
 */
function pooledBytes(length: number): Uint8Array {
  if (length > POOL_BYTES / 4) return new Uint8Array(randomBytes(length));
  if (used + length > pool.length) {
    pool = randomBytes(POOL_BYTES);
    used = 0;
  }
  const bytes = new Uint8Array(pool.subarray(used, used + length));
  used += length;
  return bytes;
}

export const cryptoRandom: Random = {
  bytes: pooledBytes,
  int: (max) => randomInt(max),
};

export function randomId(random: Random, bytes = 16): string {
  return Buffer.from(random.bytes(bytes)).toString('base64url');
}
