-- One token bucket per key, refilled continuously: ARGV = rate per second, bucket size.
-- Redis's own clock keeps every gateway on the same time. Returns
-- {allowed 0|1, whole tokens left, microseconds until a token, microseconds until full}.
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
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
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', string.format('%.0f', now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
local wait = 0
if allowed == 0 then
  wait = math.ceil((1 - tokens) * 1000000 / rate)
end
return {allowed, math.floor(tokens), wait, math.ceil((burst - tokens) * 1000000 / rate)}
