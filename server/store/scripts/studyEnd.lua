-- Marks the live state ended (after the session document moved to ended): nothing moves any more; an open poll closes.
-- KEYS: live, polls   Returns 1.
local pollId = redis.call('HGET', KEYS[1], 'pollId')
if pollId and pollId ~= '' then redis.call('HSET', KEYS[2], pollId, 'closed') end
redis.call('HSET', KEYS[1], 'ended', 1, 'pollId', '', 'poll', '')
redis.call('HINCRBY', KEYS[1], 'version', 1)
return 1
