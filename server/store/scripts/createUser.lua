-- Creates a user only if the username is free and the branch (when given) exists.
-- KEYS: users:byName, user:{id}, users:all, branch:{bid}|none, branch:{bid}:members|none
-- ARGV: lowerUsername, id, createdAt, hasBranch(1|0), field, value, ...
-- Returns 1 created, 0 username taken, -1 branch missing.
if ARGV[4] == '1' and redis.call('EXISTS', KEYS[4]) == 0 then return -1 end
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
local fields = {}
for i = 5, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', KEYS[2], unpack(fields))
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[2])
if ARGV[4] == '1' then redis.call('SADD', KEYS[5], ARGV[2]) end
return 1
