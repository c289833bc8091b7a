-- Counts events in a sliding window; with ARGV[4] == '1' also records one now.
-- KEYS: the window's sorted set. ARGV: now, windowMs, member, record(1|0)
-- Returns the number of events in the window (after recording).
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
if ARGV[4] == '1' then
  redis.call('ZADD', KEYS[1], ARGV[1], ARGV[3])
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return redis.call('ZCARD', KEYS[1])
