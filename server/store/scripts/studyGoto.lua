-- The presenter turns to a page: checked (live, presenter, in range) and applied in one step; the version is bumped
-- so every follower can tell a newer state from an older one. The page joins the pages covered (first showing kept).
-- KEYS: live, pages   ARGV: userId, page, now
-- Returns {'OK', version} or {'ERR', code}.
local st = redis.call('HMGET', KEYS[1], 'presenterId', 'pageCount', 'ended')
if not st[2] then return {'ERR', 'WRONG_PHASE'} end
if st[3] == '1' then return {'ERR', 'WRONG_PHASE'} end
if st[1] ~= ARGV[1] then return {'ERR', 'FORBIDDEN'} end
local page = tonumber(ARGV[2])
if page < 0 or page >= tonumber(st[2]) then return {'ERR', 'INVALID_INPUT'} end
redis.call('HSET', KEYS[1], 'page', page)
redis.call('ZADD', KEYS[2], 'NX', ARGV[3], page)
return {'OK', redis.call('HINCRBY', KEYS[1], 'version', 1)}
