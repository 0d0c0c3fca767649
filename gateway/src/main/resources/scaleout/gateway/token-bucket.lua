-- One token bucket per key, refilled continuously: ARGV = rate per second, bucket size, tokens
-- wanted (the requests of one batch), tokens to lease on top (for the gateway to give out on its
-- own, shortly). Redis's own clock keeps every gateway on the same time. A lease comes only out
-- of what is left above half the bucket, so near exhaustion every token is still asked for here.
-- Returns {tokens granted (at most the wanted, whole tokens only), whole tokens left,
-- microseconds until a token when some were refused (else 0), microseconds until full, tokens leased}.
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local wanted = tonumber(ARGV[3])
local lease = tonumber(ARGV[4])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = burst
  at = now
end
tokens = math.min(burst, tokens + math.max(0, now - at) * rate / 1000000)
local granted = math.min(wanted, math.floor(tokens))
tokens = tokens - granted
local leased = math.max(0, math.min(lease, math.floor(tokens - math.ceil(burst / 2))))
tokens = tokens - leased
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', string.format('%.0f', now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
local wait = 0
if granted < wanted then
  wait = math.ceil((1 - tokens) * 1000000 / rate)
end
return {granted, math.floor(tokens), wait, math.ceil((burst - tokens) * 1000000 / rate), leased}
