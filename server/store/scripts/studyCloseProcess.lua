-- Closes the stays of every socket a process held (a process that died: at its last heartbeat; at the end of the
-- session: ARGV[1] = '*' closes every socket at the end time).
-- KEYS: sockets, stays, hidden   ARGV: processId or '*', to
-- Returns how many stays were closed.
local all = redis.call('HGETALL', KEYS[1])
local closed = 0
for i = 1, #all, 2 do
  local s = cjson.decode(all[i + 1])
  if ARGV[1] == '*' or s.processId == ARGV[1] then
    local to = math.max(tonumber(ARGV[2]), s.from)
    redis.call('HDEL', KEYS[1], all[i])
    redis.call('HDEL', KEYS[3], all[i])
    redis.call('RPUSH', KEYS[2], cjson.encode({ userId = s.userId, socketId = all[i], from = s.from, to = to }))
    closed = closed + 1
  end
end
return closed
