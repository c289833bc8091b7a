-- The presenter closes the open poll exactly once; later answers are TOO_LATE.
-- KEYS: live, polls   ARGV: userId
-- Returns {'OK', pollId, version} or {'ERR', code}.
local st = redis.call('HMGET', KEYS[1], 'presenterId', 'ended', 'pollId')
if not st[2] then return {'ERR', 'WRONG_PHASE'} end
if st[1] ~= ARGV[1] then return {'ERR', 'FORBIDDEN'} end
if not st[3] or st[3] == '' then return {'ERR', 'WRONG_PHASE'} end
redis.call('HSET', KEYS[2], st[3], 'closed')
redis.call('HSET', KEYS[1], 'pollId', '', 'poll', '')
return {'OK', st[3], redis.call('HINCRBY', KEYS[1], 'version', 1)}
