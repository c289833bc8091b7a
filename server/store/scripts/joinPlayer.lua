-- Joins a player to a game, or brings an existing one back (rejoin token, or the same logged-in user).
-- KEYS: state, players, nicknames, users, tokens, kicked, scores
-- ARGV: rejoinToken|'', userId|'', newPlayerId, nicknameKey, playerJson, newToken, maxPlayers
-- Returns {'OK', playerId, token, 'new'|'back'} or {'ERR', code}.
local token, user = ARGV[1], ARGV[2]
local phase = redis.call('HGET', KEYS[1], 'phase')
if not phase then return {'ERR', 'NOT_FOUND'} end

local function back(pid)
  if redis.call('SISMEMBER', KEYS[6], pid) == 1 then return {'ERR', 'FORBIDDEN'} end
  local raw = redis.call('HGET', KEYS[2], pid)
  if not raw then return {'ERR', 'FORBIDDEN'} end
  return {'OK', pid, cjson.decode(raw)['token'], 'back'}
end

if token ~= '' then
  local pid = redis.call('HGET', KEYS[5], token)
  if pid then return back(pid) end
end
if user ~= '' then
  local pid = redis.call('HGET', KEYS[4], user)
  if pid then return back(pid) end
end
if phase == 'finished' then return {'ERR', 'WRONG_PHASE'} end
if user == '' and redis.call('HEXISTS', KEYS[3], ARGV[4]) == 1 then return {'ERR', 'NICKNAME_TAKEN'} end
if redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[7]) then return {'ERR', 'GAME_FULL'} end

local pid = ARGV[3]
redis.call('HSETNX', KEYS[3], ARGV[4], pid)
redis.call('HSET', KEYS[2], pid, ARGV[5])
redis.call('HSET', KEYS[5], ARGV[6], pid)
if user ~= '' then redis.call('HSET', KEYS[4], user, pid) end
redis.call('ZADD', KEYS[7], 'NX', 0, pid)
return {'OK', pid, ARGV[6], 'new'}
