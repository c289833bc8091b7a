-- Takes a session's roll (应到) once, at its start: a retried or concurrent start keeps the first roll.
-- Written pair by pair (a branch of thousands would overflow one HSET's argument unpacking).
-- KEYS: roll   ARGV: userId1, entry1, userId2, entry2, ...
-- Returns 1 when taken now, 0 when it already existed.
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], '', '')
for i = 1, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
return 1
