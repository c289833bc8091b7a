-- Saves a versioned JSON document exactly once per version: create (expected 0, must not exist) or edit
-- (must exist with the expected version). Returns the new version, 0 when missing, -1 when stale, -2 when it exists.
-- KEYS[1] the document hash {json, version}, KEYS[2] an index sorted set (score: ARGV[4]),
-- KEYS[3] optional: a companion string key written in the same step (e.g. a long body kept apart)
-- ARGV[1] id, ARGV[2] expected version, ARGV[3] json, ARGV[4] index score, ARGV[5] the companion value
local current = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
local expected = tonumber(ARGV[2])
if expected == 0 then
  if current ~= 0 then return -2 end
elseif current == 0 then
  return 0
elseif current ~= expected then
  return -1
end
local version = current + 1
redis.call('HSET', KEYS[1], 'json', ARGV[3], 'version', version)
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
if KEYS[3] then redis.call('SET', KEYS[3], ARGV[5]) end
return version
