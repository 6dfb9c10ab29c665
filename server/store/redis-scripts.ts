import { createHash } from 'node:crypto';

/**
 * The store's read-modify-writes as Lua, so each runs as one step on the Redis server whichever instance
 * sends it. Every script touches exactly one key, which keeps them valid on Redis Cluster.
 */
export interface LuaScript {
  readonly source: string;
  readonly sha1: string;
}

function script(source: string): LuaScript {
  return { source, sha1: createHash('sha1').update(source).digest('hex') };
}

/**
 * Replaces the value only if it is still the one the caller read (compare-and-set), keeping the remaining
 * TTL. Returns 1 when written, 0 when someone else wrote first, -1 when the key is gone.
 * PTTL + SET PX rather than SET KEEPTTL so Redis before 6.0 works too.
 */
export const COMPARE_AND_SET = script(`
local current = redis.call('GET', KEYS[1])
if not current then return -1 end
if current ~= ARGV[1] then return 0 end
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ttl)
else
  redis.call('SET', KEYS[1], ARGV[2])
end
return 1
`);

/**
 * GET, and DEL when the record's site is one of ARGV (any site when ARGV is empty), as one step: a token is
 * handed out at most once, and a wrong site's request reads it without burning it.
 */
export const TAKE = script(`
local value = redis.call('GET', KEYS[1])
if not value then return false end
if #ARGV > 0 then
  local site = cjson.decode(value).siteKey
  local mine = false
  for i = 1, #ARGV do
    if ARGV[i] == site then mine = true end
  end
  if not mine then return value end
end
redis.call('DEL', KEYS[1])
return value
`);

/**
 * Fixed window counter: the window starts with the first increment and is never extended by later ones.
 * Returns {count, remaining window in ms}.
 */
export const INCREMENT = script(`
local count = redis.call('INCRBY', KEYS[1], ARGV[2])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
`);

/** SET NX PX, then the value now stored, in one step. */
export const PUT_IF_ABSENT = script(`
local current = redis.call('GET', KEYS[1])
if current then return current end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return ARGV[1]
`);
