-- Takes back the counts of processes whose last heartbeat (Redis time) is older than the window: a process that
-- died without its disconnect handlers running. Each candidate is checked again here, so a heartbeat that raced
-- in keeps its process.
-- KEYS: members, processes, counter hash, then each candidate's members hash
-- ARGV: counterField, windowMs, then each candidate's processId (same order as KEYS[4..])
-- Returns how many processes were reaped.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local cutoff = now - tonumber(ARGV[2])
local reaped = 0
for i = 4, #KEYS do
  local proc = ARGV[i - 1]
  local beat = redis.call('ZSCORE', KEYS[2], proc)
  if beat and tonumber(beat) < cutoff then
    local counts = redis.call('HGETALL', KEYS[i])
    for j = 1, #counts, 2 do
      local member, c = counts[j], tonumber(counts[j + 1])
      local total = tonumber(redis.call('HGET', KEYS[1], member) or '0')
      if total > 0 then
        if total - c > 0 then
          redis.call('HSET', KEYS[1], member, total - c)
        else
          redis.call('HDEL', KEYS[1], member)
          redis.call('HINCRBY', KEYS[3], ARGV[1], -1)
        end
      end
    end
    redis.call('DEL', KEYS[i])
    redis.call('ZREM', KEYS[2], proc)
    reaped = reaped + 1
  end
end
return reaped
