-- Closes question `index` exactly once, even when several processes' timers fire together.
-- Players who did not answer lose their streak.
-- KEYS: state, answers:{index}, streaks, players (hash playerId -> ...)
-- ARGV: index
-- Returns 1 when this call closed it, 0 when it was not open (already closed, or another question).
local st = redis.call('HMGET', KEYS[1], 'phase', 'index')
if st[1] ~= 'question' or tonumber(st[2]) ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'phase', 'reveal')
redis.call('HDEL', KEYS[1], 'openedAt', 'closesAt')
for _, player in ipairs(redis.call('HKEYS', KEYS[4])) do
  if redis.call('HEXISTS', KEYS[2], player) == 0 then redis.call('HSET', KEYS[3], player, 0) end
end
return 1
