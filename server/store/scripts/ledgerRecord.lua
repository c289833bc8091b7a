-- One study-record entry, exactly once per id (kind:refId:member), with its aggregates in the same step.
-- KEYS: 1 entries hash, 2 member zset, 3 branch zset, then per bucket (day, month, quarter, year) its aggregate hash
--       and its set of members who took part: 4/5, 6/7, 8/9, 10/11
-- ARGV: 1 id, 2 json, 3 at, 4 memberId, 5 kind slot (1-based, see below), 6 qualifying (0/1), 7 hours, 8 correct,
--       9 total, 10 missed meeting (0/1)
-- An aggregate hash holds one field per member: "activities,hours,correct,total,missed,<one count per kind>" (the
-- kinds in LEDGER_KINDS order), so a year's ranking reads one short string per member instead of a field per figure.
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
local m = ARGV[4]
local kindSlot = 5 + tonumber(ARGV[5])
local qualifying = ARGV[6] == '1'
local hours = tonumber(ARGV[7])
local correct = tonumber(ARGV[8])
local total = tonumber(ARGV[9])
local missed = tonumber(ARGV[10])
for i = 4, #KEYS, 2 do
  local raw = redis.call('HGET', KEYS[i], m)
  local v = {}
  if raw then
    for n in string.gmatch(raw, '[^,]+') do v[#v + 1] = tonumber(n) end
  end
  for j = #v + 1, 12 do v[j] = 0 end
  if qualifying then
    v[1] = v[1] + 1
    v[kindSlot] = v[kindSlot] + 1
    redis.call('SADD', KEYS[i + 1], m)
  end
  v[2] = v[2] + hours
  v[3] = v[3] + correct
  v[4] = v[4] + total
  v[5] = v[5] + missed
  redis.call('HSET', KEYS[i], m, table.concat(v, ','))
end
return 1
