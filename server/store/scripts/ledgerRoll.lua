-- A member joins or leaves a branch's roll at a time: opens or closes their last stretch, idempotently.
-- KEYS: 1 the branch's roll hash. ARGV: 1 memberId, 2 at (ms), 3 'join' | 'leave'. Returns 1 when something changed.
local raw = redis.call('HGET', KEYS[1], ARGV[1])
local stretches = raw and cjson.decode(raw) or {}
local last = stretches[#stretches]
local open = last ~= nil and (last[2] == nil or last[2] == cjson.null)
local at = tonumber(ARGV[2])
if ARGV[3] == 'join' then
  if open then return 0 end
  table.insert(stretches, { at, cjson.null })
else
  if not open then return 0 end
  last[2] = math.max(at, last[1])
end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(stretches))
return 1
