-- Updates a user's fields and, when its branch changes, moves it between branch member sets.
-- KEYS: user:{id}, oldMembers|none, newBranch|none, newMembers|none
-- ARGV: id, moveBranch(1|0), hasNewBranch(1|0), field, value, ...
-- Returns 1 updated, 0 user missing, -1 new branch missing.
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if ARGV[2] == '1' then
  if ARGV[3] == '1' and redis.call('EXISTS', KEYS[3]) == 0 then return -1 end
  redis.call('SREM', KEYS[2], ARGV[1])
  if ARGV[3] == '1' then redis.call('SADD', KEYS[4], ARGV[1]) end
end
local fields = {}
for i = 4, #ARGV do fields[#fields + 1] = ARGV[i] end
if #fields > 0 then redis.call('HSET', KEYS[1], unpack(fields)) end
return 1
