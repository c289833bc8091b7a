-- Creates or updates a question, keeping normalised texts unique and tag sets in step.
-- KEYS: question:{id}, questions:all, questions:byText, questions:tags, newTagSet..., oldTagSet...
-- ARGV: id, expectedVersion ('0' = create), newTextKey, oldTextKey, updatedAt, json,
--       newTagCount, newTag..., oldTag...   (tag names in the same order as their set keys)
-- Returns the new version, 0 missing, -1 stale version, -2 text taken by another question.
local id, expected = ARGV[1], tonumber(ARGV[2])
local current = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if expected == 0 then
  if current > 0 then return -2 end
else
  if current == 0 then return 0 end
  if current ~= expected then return -1 end
end
if ARGV[3] ~= ARGV[4] then
  local owner = redis.call('HGET', KEYS[3], ARGV[3])
  if owner and owner ~= id then return -2 end
  redis.call('HSET', KEYS[3], ARGV[3], id)
  if ARGV[4] ~= '' then redis.call('HDEL', KEYS[3], ARGV[4]) end
end
local nNew = tonumber(ARGV[7])
for i = 8 + nNew, #ARGV do
  local set = KEYS[i - 3]
  redis.call('SREM', set, id)
  if redis.call('SCARD', set) == 0 then redis.call('SREM', KEYS[4], ARGV[i]) end
end
for i = 8, 7 + nNew do
  redis.call('SADD', KEYS[i - 3], id)
  redis.call('SADD', KEYS[4], ARGV[i])
end
local version = current + 1
redis.call('HSET', KEYS[1], 'id', id, 'version', version, 'updatedAt', ARGV[5], 'json', ARGV[6])
redis.call('ZADD', KEYS[2], ARGV[5], id)
return version
