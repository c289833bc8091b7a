-- Whether question `index` is open, at least one player is connected and every connected player has answered it.
-- KEYS: online, answers:{index}, state
-- ARGV: index
-- Returns 1 or 0. Runs on every answer that might be the last and on every disconnect, so it refuses cheaply
-- (phase, then counts) before it walks the connected players.
local st = redis.call('HMGET', KEYS[3], 'phase', 'index', 'online')
if st[1] ~= 'question' or st[2] ~= ARGV[1] then return 0 end
local online = tonumber(st[3] or '0')
if online <= 0 or redis.call('HLEN', KEYS[2]) < online then return 0 end
local players = redis.call('HKEYS', KEYS[1])
if #players == 0 then return 0 end
for _, player in ipairs(players) do
  if redis.call('HEXISTS', KEYS[2], player) == 0 then return 0 end
end
return 1
