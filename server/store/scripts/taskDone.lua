-- Marks a member done with a study task, once, and only while the task exists (a deleted task gains no done hash).
-- KEYS[1] task document, KEYS[2] its done hash; ARGV[1] member id, ARGV[2] time (epoch ms).
-- Returns 1 for the call that marked the member, 0 otherwise.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
return redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[2])
