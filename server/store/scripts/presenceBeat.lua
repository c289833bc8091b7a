-- A process says it is alive. Returns 0 when its entry is gone (it was taken for dead and its counts taken back),
-- so it registers its sockets again.
-- KEYS: processes, this process's members
-- ARGV: processId, keyTtlMs
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[2]))
return 1
