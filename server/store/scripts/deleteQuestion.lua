-- Deletes a question and its index entries.
-- KEYS: question:{id}, questions:all, questions:byText, questions:tags, tagSet...
-- ARGV: id, textKey, tag...
-- Returns 1 deleted, 0 missing.
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
if redis.call('HGET', KEYS[3], ARGV[2]) == ARGV[1] then redis.call('HDEL', KEYS[3], ARGV[2]) end
for i = 3, #ARGV do
  redis.call('SREM', KEYS[i + 2], ARGV[1])
  if redis.call('SCARD', KEYS[i + 2]) == 0 then redis.call('SREM', KEYS[4], ARGV[i]) end
end
return 1
