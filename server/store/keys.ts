/** Every Redis key Tongpin uses is built here and nowhere else. */
export const keys = {
  user: (id: string) => `user:${id}`,
  userSessions: (id: string) => `user:${id}:sessions`,
  usersByName: () => 'users:byName',
  usersAll: () => 'users:all',
  branch: (id: string) => `branch:${id}`,
  branchMembers: (id: string) => `branch:${id}:members`,
  branchesAll: () => 'branches:all',
  branchesByName: () => 'branches:byName',
  session: (sid: string) => `session:${sid}`,
  rateLimit: (scope: string, subject: string) => `ratelimit:${scope}:${subject}`,
  question: (id: string) => `question:${id}`,
  questionsAll: () => 'questions:all',
  questionsByText: () => 'questions:byText',
  questionTag: (tag: string) => `questions:tag:${tag}`,
  questionTags: () => 'questions:tags',
  bankSeeded: () => 'questions:seeded',
  quiz: (id: string) => `quiz:${id}`,
  quizzesAll: () => 'quizzes:all',
  /** Keys of one game share the {game:ID} hash tag so a Redis Cluster keeps them on one shard. */
  gameSnapshot: (gameId: string) => `{game:${gameId}}:snapshot`,
  /** Placeholder for an optional key argument of a script (never written). */
  none: () => 'none:unused',
};
