-- Counts a player's connected sockets; the state's `online` field counts players with at least one.
-- KEYS: online, state
-- ARGV: playerId, delta (+1 on join, -1 on leave)
-- Returns the number of players online.
local n = redis.call('HINCRBY', KEYS[1], ARGV[1], tonumber(ARGV[2]))
if tonumber(ARGV[2]) > 0 and n == 1 then redis.call('HINCRBY', KEYS[2], 'online', 1) end
if n <= 0 then
  redis.call('HDEL', KEYS[1], ARGV[1])
  if tonumber(ARGV[2]) < 0 and n == 0 then redis.call('HINCRBY', KEYS[2], 'online', -1) end
end
return tonumber(redis.call('HGET', KEYS[2], 'online') or '0')
