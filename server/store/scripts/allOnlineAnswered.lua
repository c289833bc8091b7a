-- Whether at least one player is connected and every connected player has answered question `index`.
-- KEYS: online, answers:{index}
-- Returns 1 or 0.
local online = redis.call('HKEYS', KEYS[1])
if #online == 0 then return 0 end
for _, player in ipairs(online) do
  if redis.call('HEXISTS', KEYS[2], player) == 0 then return 0 end
end
return 1
