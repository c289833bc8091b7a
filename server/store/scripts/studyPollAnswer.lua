-- One answer per person and poll, exactly once, only while the poll is open (like answer:submit in a live game).
-- KEYS: polls (pollId -> open|closed), answers:{pollId}   ARGV: pollId, userId, answerJson
-- Returns 'OK' or an error code.
local status = redis.call('HGET', KEYS[1], ARGV[1])
if not status then return 'NOT_FOUND' end
if redis.call('HEXISTS', KEYS[2], ARGV[2]) == 1 then return 'ALREADY_ANSWERED' end
if status ~= 'open' then return 'TOO_LATE' end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
return 'OK'
