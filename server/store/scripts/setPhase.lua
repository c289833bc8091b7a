-- Compare-and-set of a game's phase: only one of several concurrent transitions wins.
-- KEYS: state
-- ARGV: expectedPhase, expectedIndex ('*' for any), then field/value pairs to write
-- Returns 1 when written, 0 when the state had moved on.
local st = redis.call('HMGET', KEYS[1], 'phase', 'index')
if st[1] ~= ARGV[1] then return 0 end
if ARGV[2] ~= '*' and tonumber(st[2]) ~= tonumber(ARGV[2]) then return 0 end
local pairs = {}
for i = 3, #ARGV do pairs[#pairs + 1] = ARGV[i] end
if #pairs > 0 then redis.call('HSET', KEYS[1], unpack(pairs)) end
return 1
