-- Joins a player to a game, or brings an existing one back (rejoin token, or the same logged-in user).
-- A new player is refused while the host has locked the game; a new guest also counts against its address's
-- allowance per minute (a fixed window per game and IP), so one address cannot flood a game with players.
-- KEYS: state, players, nicknames, users, tokens, kicked, scores, guestJoins:{ip}
-- ARGV: rejoinToken|'', userId|'', newPlayerId, nicknameKey|'', playerJson, newToken, maxPlayers, guestsPerMinute,
--       reserved (1 when a new guest's nickname is a member's display name; a returning player keeps theirs)
-- Returns {'OK', playerId, token, 'new'|'back'} or {'ERR', code}; code NICKNAME_REQUIRED for a guest without a
-- nickname whose token matched nobody (never a nameless player).
local token, user = ARGV[1], ARGV[2]
local st = redis.call('HMGET', KEYS[1], 'phase', 'locked')
local phase = st[1]
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
if user == '' and ARGV[4] == '' then return {'ERR', 'NICKNAME_REQUIRED'} end
if st[2] == '1' then return {'ERR', 'GAME_LOCKED'} end
if user == '' and (ARGV[9] == '1' or redis.call('HEXISTS', KEYS[3], ARGV[4]) == 1) then return {'ERR', 'NICKNAME_TAKEN'} end
if redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[7]) then return {'ERR', 'GAME_FULL'} end
if user == '' then
  local n = redis.call('INCR', KEYS[8])
  if n == 1 then redis.call('PEXPIRE', KEYS[8], 60000) end
  if n > tonumber(ARGV[8]) then return {'ERR', 'RATE_LIMITED'} end
end

local pid = ARGV[3]
redis.call('HSETNX', KEYS[3], ARGV[4], pid)
redis.call('HSET', KEYS[2], pid, ARGV[5])
redis.call('HSET', KEYS[5], ARGV[6], pid)
if user ~= '' then redis.call('HSET', KEYS[4], user, pid) end
redis.call('ZADD', KEYS[7], 'NX', 0, pid)
return {'OK', pid, ARGV[6], 'new'}
