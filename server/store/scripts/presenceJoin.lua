-- A member's socket on this process arrived. Counts are kept per process (so a dead process's share can be taken
-- back) and in total; the counter field counts members with at least one socket anywhere (the O(1) figure the
-- answer script reads for "everyone answered").
-- KEYS: members (member -> sockets, all processes), processes (zset process -> last heartbeat), this process's
--       members (member -> sockets), counter hash
-- ARGV: member, processId, counterField, keyTtlMs
-- Returns the counter.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('HINCRBY', KEYS[3], ARGV[1], 1)
redis.call('PEXPIRE', KEYS[3], tonumber(ARGV[4]))
redis.call('ZADD', KEYS[2], now, ARGV[2])
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[4]))
if redis.call('HINCRBY', KEYS[1], ARGV[1], 1) == 1 then redis.call('HINCRBY', KEYS[4], ARGV[3], 1) end
return tonumber(redis.call('HGET', KEYS[4], ARGV[3]) or '0')
