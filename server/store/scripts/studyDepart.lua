-- A socket leaves a study session: its stay [from, to] is appended to the attendance log exactly once
-- (a second depart of the same socket finds nothing and appends nothing).
-- KEYS: sockets, stays, hidden   ARGV: socketId, to
-- Returns 1 when a stay was closed, 0 otherwise.
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return 0 end
local s = cjson.decode(raw)
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('RPUSH', KEYS[2], cjson.encode({ userId = s.userId, socketId = ARGV[1], from = s.from, to = tonumber(ARGV[2]) }))
return 1
