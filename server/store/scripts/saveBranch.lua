-- Creates or updates a branch, keeping branch names unique.
-- KEYS: branches:byName, branch:{id}, branches:all
-- ARGV: id, newNameKey, oldNameKey ('' when creating), createdAt ('' when updating), field, value, ...
-- Returns 1 saved, 0 branch missing (update), -2 name taken.
local creating = ARGV[4] ~= ''
if not creating and redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
if ARGV[2] ~= ARGV[3] then
  if redis.call('HSETNX', KEYS[1], ARGV[2], ARGV[1]) == 0 then return -2 end
  if ARGV[3] ~= '' then redis.call('HDEL', KEYS[1], ARGV[3]) end
end
local fields = {}
for i = 5, #ARGV do fields[#fields + 1] = ARGV[i] end
if #fields > 0 then redis.call('HSET', KEYS[2], unpack(fields)) end
if creating then redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1]) end
return 1
