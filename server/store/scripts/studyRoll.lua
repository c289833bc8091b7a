-- Takes a session's roll (应到) once, at its start: a retried or concurrent start keeps the first roll.
-- KEYS: roll   ARGV: userId1, name1, userId2, name2, ...
-- Returns 1 when taken now, 0 when it already existed.
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if #ARGV > 0 then redis.call('HSET', KEYS[1], unpack(ARGV)) else redis.call('HSET', KEYS[1], '', '') end
return 1
