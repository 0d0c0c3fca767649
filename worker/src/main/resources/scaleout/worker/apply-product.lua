-- Applies one catalog event to the facets read model, atomically and idempotently.
-- KEYS[1]: hash productId -> "version|category" (the category is empty once deleted)
-- KEYS[2]: set of categories; ARGV: productId, version, category ('' for a deletion), price, category key prefix
-- An event not newer than what was applied for the product is ignored (redelivery, reordering).
local stored = redis.call('HGET', KEYS[1], ARGV[1])
if stored then
  local bar = string.find(stored, '|', 1, true)
  local version = tonumber(string.sub(stored, 1, bar - 1))
  if version >= tonumber(ARGV[2]) then
    return 0
  end
  local previous = string.sub(stored, bar + 1)
  if previous ~= '' then
    redis.call('ZREM', ARGV[5] .. previous, ARGV[1])
  end
end
if ARGV[3] ~= '' then
  redis.call('ZADD', ARGV[5] .. ARGV[3], ARGV[4], ARGV[1])
  redis.call('SADD', KEYS[2], ARGV[3])
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. '|' .. ARGV[3])
return 1
