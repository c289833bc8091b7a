-- Reserves one attempt in every counter at once, or in none: the check and the write are one step, so concurrent
-- callers can never overshoot a limit (each counter is a sliding-window sorted set of reservations).
-- KEYS: the counters' sorted sets. ARGV: now, member, then per key: limit, windowMs
-- Returns 0 when reserved, else the 1-based index of the first full counter (nothing is written then).
local now = tonumber(ARGV[1])
for i = 1, #KEYS do
  local windowMs = tonumber(ARGV[2 + 2 * i])
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - windowMs)
  if redis.call('ZCARD', KEYS[i]) >= tonumber(ARGV[1 + 2 * i]) then
    return i
  end
end
for i = 1, #KEYS do
  redis.call('ZADD', KEYS[i], now, ARGV[2])
  redis.call('PEXPIRE', KEYS[i], tonumber(ARGV[2 + 2 * i]))
end
return 0
