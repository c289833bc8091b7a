-- Accepts one answer exactly once: question open, before the deadline, first answer of this player.
-- Records it with Redis's own time and adds the points (speed and streak rules) in the same step: the time comes
-- from redis.call('TIME'), never from the calling process, so processes with skewed clocks score alike.
-- The formula is server/domain/scoring.ts's scoreAnswer (tests/server/store/scoringParity.test.ts checks they agree).
-- KEYS: state, answers:{index}, scores, streaks, points:{index}, correct
-- ARGV: playerId, index, answerJson, correct(1|0)
-- Returns {'OK', points, answeredCount, onlineCount, now} or {'ERR', code}.
local player, index = ARGV[1], tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local st = redis.call('HMGET', KEYS[1], 'phase', 'index', 'openedAt', 'closesAt', 'timeLimitMs', 'speedBonus', 'streakBonus', 'online')
local phase, current = st[1], tonumber(st[2] or '-1')
if not phase then return {'ERR', 'NOT_FOUND'} end
local open = phase == 'question' and index == current
local past = index < current or (index == current and phase ~= 'question' and phase ~= 'lobby')
if not open and not past then return {'ERR', 'WRONG_PHASE'} end
if redis.call('HEXISTS', KEYS[2], player) == 1 then return {'ERR', 'ALREADY_ANSWERED'} end
if not open or now >= tonumber(st[4]) then return {'ERR', 'TOO_LATE'} end

redis.call('HSET', KEYS[2], player, now .. '|' .. ARGV[3])
local points = 0
if ARGV[4] == '1' then
  local streak = redis.call('HINCRBY', KEYS[4], player, 1)
  local limit = tonumber(st[5])
  local elapsed = math.min(math.max(now - tonumber(st[3]), 0), limit)
  points = 1000
  if st[6] == '1' then points = math.floor(1000 * (1 - elapsed / (2 * limit)) + 0.5) end
  if st[7] == '1' then points = points + math.min(100 * (streak - 1), 500) end
  redis.call('ZINCRBY', KEYS[3], points, player)
  redis.call('HINCRBY', KEYS[6], player, 1)
else
  redis.call('HSET', KEYS[4], player, 0)
end
redis.call('HSET', KEYS[5], player, points)
return {'OK', points, redis.call('HLEN', KEYS[2]), tonumber(st[8] or '0'), now}
