-- A member's socket on this process left. When this process holds no count for it (its share was already taken
-- back as a dead process's, or the member was removed), nothing else changes.
-- KEYS: members, processes, this process's members, counter hash
-- ARGV: member, processId, counterField
-- Returns the counter.
local mine = redis.call('HINCRBY', KEYS[3], ARGV[1], -1)
if mine <= 0 then redis.call('HDEL', KEYS[3], ARGV[1]) end
if mine >= 0 then
  local total = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
  if total > 1 then
    redis.call('HSET', KEYS[1], ARGV[1], total - 1)
  elseif total == 1 then
    redis.call('HDEL', KEYS[1], ARGV[1])
    redis.call('HINCRBY', KEYS[4], ARGV[3], -1)
  end
end
return tonumber(redis.call('HGET', KEYS[4], ARGV[3]) or '0')
