-- Applies one answer to a member's card, review log and wrong-answer book in one step (issue 11).
-- The book is read and written here, not in the process: two answers of the same member and question at once
-- (two devices, a live game's hook beside a practice) can no longer lose one another's update.
-- With a 4th key (the outcomes of one game or exam attempt already applied), the answer is applied at most once:
-- a replay after a crash (the hook or the exam's hand-over run again) finds its field and changes nothing.
-- KEYS: cards, log, wrongBook[, applied]
-- ARGV: questionId, card ('' = the card does not move), logLine ('' = none), correct (1|0), at (epoch ms), source,
--       day (YYYY-MM-DD), countsForBook (1|0: a right answer here counts towards leaving the book), rightDaysToLeave,
--       appliedField ('' without the 4th key), appliedTtlSec
-- Returns 1 when applied, 0 when it had been applied before.
local q = ARGV[1]
if #KEYS >= 4 then
  if redis.call('HSETNX', KEYS[4], ARGV[10], '1') == 0 then return 0 end
  redis.call('EXPIRE', KEYS[4], tonumber(ARGV[11]))
end
if ARGV[2] ~= '' then redis.call('HSET', KEYS[1], q, ARGV[2]) end
if ARGV[3] ~= '' then redis.call('RPUSH', KEYS[2], ARGV[3]) end

-- JSON by hand: cjson writes an empty list as {} (rightDays starts empty), and epoch ms must stay integers.
local function list(t)
  local parts = {}
  for i, v in ipairs(t) do parts[i] = cjson.encode(v) end
  return '[' .. table.concat(parts, ',') .. ']'
end
local function encode(e)
  return string.format('{"firstWrongAt":%d,"lastWrongAt":%d,"sources":%s,"rightDays":%s}', e.firstWrongAt, e.lastWrongAt, list(e.sources), list(e.rightDays))
end

local raw = redis.call('HGET', KEYS[3], q)
local entry = nil
if raw then entry = cjson.decode(raw) end
local at, source, day = tonumber(ARGV[5]), ARGV[6], ARGV[7]
if ARGV[4] == '0' then
  -- A wrong answer (re)enters the book and starts the count of right days again.
  local sources = {}
  local seen = false
  if entry then
    for _, s in ipairs(entry.sources) do
      sources[#sources + 1] = s
      if s == source then seen = true end
    end
  end
  if not seen then sources[#sources + 1] = source end
  local first = at
  if entry then first = entry.firstWrongAt end
  redis.call('HSET', KEYS[3], q, encode({ firstWrongAt = first, lastWrongAt = at, sources = sources, rightDays = {} }))
  return 1
end
if not entry or ARGV[8] ~= '1' then return 1 end
local days = {}
for _, d in ipairs(entry.rightDays) do
  if d == day then return 1 end
  days[#days + 1] = d
end
days[#days + 1] = day
if #days >= tonumber(ARGV[9]) then
  redis.call('HDEL', KEYS[3], q)
else
  entry.rightDays = days
  redis.call('HSET', KEYS[3], q, encode(entry))
end
return 1
