-- Creates a study session's live state once (a second start, or a retry, finds it and changes nothing).
-- KEYS: live, pages   ARGV: materialId, pageCount, presenterId, now
-- Returns 1 when created, 0 when it existed.
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'materialId', ARGV[1], 'pageCount', ARGV[2], 'presenterId', ARGV[3], 'page', 0, 'version', 1, 'ended', 0)
if tonumber(ARGV[2]) > 0 then redis.call('ZADD', KEYS[2], 'NX', ARGV[4], 0) end
return 1
