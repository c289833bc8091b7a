-- Grades an attempt exactly once: at hand-in or at the deadline, whichever comes first. Correctness of each answer
-- was decided when it was given (server/domain/scoring.ts isCorrect) and kept apart; this step only counts it, so a
-- concurrent second hand-in or the sweep finds the attempt graded and changes nothing.
-- score = round(correct / total * 100), as Math.round does for non-negative numbers.
-- KEYS: attempt doc, correct, exam:{id}:open, deadlines, outcomes pending
-- ARGV: now, attemptId, requireDue(1|0)
-- Returns {'GRADED', correct, score} for the one call that graded, {'ALREADY'}, {'NOT_DUE'} or {'NOT_FOUND'}.
local st = redis.call('HMGET', KEYS[1], 'status', 'deadline', 'total', 'memberId')
if not st[1] then return {'NOT_FOUND'} end
if st[1] ~= 'open' then return {'ALREADY'} end
local now, deadline, total = tonumber(ARGV[1]), tonumber(st[2]), tonumber(st[3])
if ARGV[3] == '1' and now < deadline then return {'NOT_DUE'} end
local correct = 0
for _, v in ipairs(redis.call('HVALS', KEYS[2])) do
  if v == '1' then correct = correct + 1 end
end
local score = 0
if total > 0 then score = math.floor(correct * 100 / total + 0.5) end
local by, ended = 'submit', now
if now >= deadline then by, ended = 'deadline', deadline end
local answered = redis.call('HLEN', KEYS[2])
redis.call('HSET', KEYS[1], 'status', 'graded', 'gradedAt', now, 'endedAt', ended, 'gradedBy', by, 'correct', correct, 'score', score)
if redis.call('HGET', KEYS[3], st[4]) == ARGV[2] then redis.call('HDEL', KEYS[3], st[4]) end
redis.call('ZREM', KEYS[4], ARGV[2])
redis.call('ZADD', KEYS[5], now, ARGV[2])
return {'GRADED', correct, score, answered}
