-- Closes question `index` exactly once, even when several processes' timers fire together.
-- A timer's close (force 0) waits for the deadline by Redis's clock, the one the answer script uses, so a process
-- whose clock runs ahead cannot close early; the host's close and "everyone answered" pass force 1.
-- Players who did not answer lose their streak.
-- KEYS: state, answers:{index}, streaks, players (hash playerId -> ...)
-- ARGV: index, force (1|0)
-- Returns 1 when this call closed it, 0 when it was not open (already closed, or another question),
-- or a negative number: minus the milliseconds left before the deadline.
local st = redis.call('HMGET', KEYS[1], 'phase', 'index', 'closesAt')
if st[1] ~= 'question' or tonumber(st[2]) ~= tonumber(ARGV[1]) then return 0 end
if ARGV[2] ~= '1' and st[3] then
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  local left = tonumber(st[3]) - now
  if left > 0 then return -left end
end
redis.call('HSET', KEYS[1], 'phase', 'reveal')
redis.call('HDEL', KEYS[1], 'openedAt', 'closesAt')
for _, player in ipairs(redis.call('HKEYS', KEYS[4])) do
  if redis.call('HEXISTS', KEYS[2], player) == 0 then redis.call('HSET', KEYS[3], player, 0) end
end
return 1
