import type { Random } from '../random.js';

export interface DrawnCallerId {
  /** The full caller ID to call from, E.164. */
  callerId: string;
  /** The code digits: the caller ID's trailing X positions. */
  code: string;
  /** The caller ID without the code, safe to show. */
  prefix: string;
}

/**
 * Picks a pattern and fills its X digits from the random source. Config validation guarantees the Xs are
 * trailing, so the prefix is what the user sees before the boxes.
 */
export function drawCallerId(patterns: readonly string[], random: Random): DrawnCallerId {
  const pattern = patterns[random.int(patterns.length)]!;
  const prefix = pattern.replace(/X+$/, '');
  let code = '';
  for (let i = prefix.length; i < pattern.length; i++) code += String(random.int(10));
  return { callerId: prefix + code, code, prefix };
}
