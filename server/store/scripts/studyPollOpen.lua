-- The presenter opens a poll: one at a time; the question is frozen into the state (without its answer key, which
-- stays on the server in the poll's own hash).
-- KEYS: live, polls (pollId -> open|closed), poll:{pollId} (question json)
-- ARGV: userId, pollId, publicQuestionJson, fullQuestionJson
-- Returns {'OK', version} or {'ERR', code}.
local st = redis.call('HMGET', KEYS[1], 'presenterId', 'ended', 'pollId')
if not st[2] then return {'ERR', 'WRONG_PHASE'} end
if st[2] == '1' then return {'ERR', 'WRONG_PHASE'} end
if st[1] ~= ARGV[1] then return {'ERR', 'FORBIDDEN'} end
if st[3] and st[3] ~= '' then return {'ERR', 'WRONG_PHASE'} end
redis.call('HSET', KEYS[2], ARGV[2], 'open')
redis.call('SET', KEYS[3], ARGV[4])
redis.call('HSET', KEYS[1], 'pollId', ARGV[2], 'poll', ARGV[3])
return {'OK', redis.call('HINCRBY', KEYS[1], 'version', 1)}
