// Module hooks (they run on the loader's own thread): report each resolved file, then carry on as usual.
import { writeSync } from 'node:fs';

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  if (resolved.url.startsWith('file:')) writeSync(2, `fcv-module ${resolved.url}\n`);
  return resolved;
}
