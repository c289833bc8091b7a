-- Starts a member's attempt at an exam, one open attempt per member and exam: a second start while one is open
-- returns that one (a reload resumes, never a second clock).
-- KEYS: exam:{id}:open, attempt doc, exam attempts, user's attempts, deadlines
-- ARGV: memberId, attemptId, startedAt, deadline, examId, total, questionsJson
-- Returns {'NEW', attemptId} or {'EXISTS', attemptId}.
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current then return {'EXISTS', current} end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[2], 'id', ARGV[2], 'examId', ARGV[5], 'memberId', ARGV[1], 'startedAt', ARGV[3], 'deadline', ARGV[4],
  'status', 'open', 'total', ARGV[6], 'questions', ARGV[7])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[2])
redis.call('ZADD', KEYS[4], ARGV[3], ARGV[2])
redis.call('ZADD', KEYS[5], ARGV[4], ARGV[2])
return {'NEW', ARGV[2]}
