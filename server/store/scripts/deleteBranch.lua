-- Deletes a branch that has no members left.
-- KEYS: branch:{id}, branch:{id}:members, branches:all, branches:byName
-- ARGV: id, nameKey
-- Returns 1 deleted, 0 missing, -2 still has members.
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('SCARD', KEYS[2]) > 0 then return -2 end
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('HDEL', KEYS[4], ARGV[2])
return 1
