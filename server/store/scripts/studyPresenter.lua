-- Hands the presenter role over (the caller checked that the host asks and the new presenter is present).
-- KEYS: live   ARGV: userId
-- Returns {'OK', version} or {'ERR', code}.
local ended = redis.call('HGET', KEYS[1], 'ended')
if not ended or ended == '1' then return {'ERR', 'WRONG_PHASE'} end
redis.call('HSET', KEYS[1], 'presenterId', ARGV[1])
return {'OK', redis.call('HINCRBY', KEYS[1], 'version', 1)}
