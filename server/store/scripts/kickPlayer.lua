-- Removes a player for good: marked kicked (no rejoin), out of the roster, the scores and the online count.
-- KEYS: players, kicked, scores, online, state
-- ARGV: playerId
-- Returns 1 when the player existed.
local pid = ARGV[1]
if redis.call('HEXISTS', KEYS[1], pid) == 0 then return 0 end
redis.call('SADD', KEYS[2], pid)
redis.call('HDEL', KEYS[1], pid)
redis.call('ZREM', KEYS[3], pid)
if redis.call('HDEL', KEYS[4], pid) == 1 then redis.call('HINCRBY', KEYS[5], 'online', -1) end
return 1
