-- Finishes a practice sitting exactly once (结束练习, or its last answer): counts its answered items and the right
-- ones, and keeps that summary; a second finish returns the first one's summary unchanged.
-- KEYS: finished, answers   ARGV: now, ttlSec
-- Returns {'NEW' | 'ALREADY', summaryJson} where summary = {answered, correct, at}.
local kept = redis.call('GET', KEYS[1])
if kept then return {'ALREADY', kept} end
local answered, correct = 0, 0
for _, raw in ipairs(redis.call('HVALS', KEYS[2])) do
  answered = answered + 1
  if cjson.decode(raw).result.correct == true then correct = correct + 1 end
end
local summary = string.format('{"answered":%d,"correct":%d,"at":%d}', answered, correct, tonumber(ARGV[1]))
redis.call('SET', KEYS[1], summary, 'EX', tonumber(ARGV[2]))
return {'NEW', summary}
