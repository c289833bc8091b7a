-- Records (or replaces) one answer of an open attempt, only before its deadline (the server's clock, passed in).
-- Nothing is written otherwise.
-- KEYS: attempt doc, answers, correct   ARGV: index, answerJson, correct(1|0), now
-- Returns 'OK' or an error code: NOT_FOUND, WRONG_PHASE (handed in), TOO_LATE (deadline passed).
local st = redis.call('HMGET', KEYS[1], 'status', 'deadline', 'gradedBy')
if not st[1] then return 'NOT_FOUND' end
if st[1] ~= 'open' then
  if st[3] == 'deadline' then return 'TOO_LATE' end
  return 'WRONG_PHASE'
end
if tonumber(ARGV[4]) >= tonumber(st[2]) then return 'TOO_LATE' end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[3])
return 'OK'
