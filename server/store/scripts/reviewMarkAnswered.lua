-- Notes the first answer of an item in its sitting (HSETNX), unless the sitting has been finished (issue 11: an
-- answer after 结束练习 is refused and writes nothing). The check and the write are one step, so an answer racing the
-- finish either lands before it (and counts in its summary) or is refused.
-- KEYS: answers[, finished]   ARGV: questionId, itemJson, ttlSec
-- Returns 'FIRST', 'AGAIN' (answered before: the card does not move) or 'FINISHED' (nothing written).
if KEYS[2] and redis.call('EXISTS', KEYS[2]) == 1 then return 'FINISHED' end
local first = redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2])
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]))
if first == 1 then return 'FIRST' end
return 'AGAIN'
