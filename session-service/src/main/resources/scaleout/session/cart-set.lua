-- Sets a product's quantity in a cart, atomically with the cart's size check.
-- KEYS[1]: the cart (hash productId -> quantity); ARGV: productId, quantity, most products, ttl in ms
-- Returns 1 when set, 0 when the product is new to a cart that holds the most products already.
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 and redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then
  return 0
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
