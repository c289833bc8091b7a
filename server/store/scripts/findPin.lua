-- A PIN lookup and its failure count in one step: an address over its limit learns nothing (not even a right PIN),
-- a wrong PIN is counted before the next lookup runs, and a right one takes no capacity. So a burst of any size
-- gets at most `limit` wrong guesses answered, while an office of members joining at once is never held up.
-- KEYS: pins hash, the address's failure window (sorted set)
-- ARGV: pin, now, windowMs, limit, member
-- Returns {'OK', gameId}, {'ERR', 'NOT_FOUND'} or {'ERR', 'RATE_LIMITED'}.
local now, window = tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[4]) then return {'ERR', 'RATE_LIMITED'} end
local gameId = redis.call('HGET', KEYS[1], ARGV[1])
if gameId then return {'OK', gameId} end
redis.call('ZADD', KEYS[2], now, ARGV[5])
redis.call('PEXPIRE', KEYS[2], window)
return {'ERR', 'NOT_FOUND'}
