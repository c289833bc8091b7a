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
  /** The HMAC key that signs device cookies; generated once, shared by every process. */
  deviceCookieSecret: () => 'auth:deviceCookieSecret',
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
  gameState: (gameId: string) => `{game:${gameId}}:state`,
  gameAnswers: (gameId: string, index: number) => `{game:${gameId}}:answers:${index}`,
  gamePoints: (gameId: string, index: number) => `{game:${gameId}}:points:${index}`,
  gameScores: (gameId: string) => `{game:${gameId}}:scores`,
  gameStreaks: (gameId: string) => `{game:${gameId}}:streaks`,
  gameCorrect: (gameId: string) => `{game:${gameId}}:correct`,
  gamePlayers: (gameId: string) => `{game:${gameId}}:players`,
  gameMeta: (gameId: string) => `{game:${gameId}}:meta`,
  gameNicknames: (gameId: string) => `{game:${gameId}}:nicknames`,
  gameUsers: (gameId: string) => `{game:${gameId}}:users`,
  gameTokens: (gameId: string) => `{game:${gameId}}:tokens`,
  gameKicked: (gameId: string) => `{game:${gameId}}:kicked`,
  gameOnline: (gameId: string) => `{game:${gameId}}:online`,
  /** Presence per process: heartbeats, and each process's own socket counts. */
  gamePresenceProcesses: (gameId: string) => `{game:${gameId}}:presence:processes`,
  gamePresenceOf: (gameId: string, processId: string) => `{game:${gameId}}:presence:of:${processId}`,
  /** New guest players from one address in the current minute. */
  gameGuestJoins: (gameId: string, ip: string) => `{game:${gameId}}:guestJoins:${ip}`,
  gameReveals: (gameId: string) => `{game:${gameId}}:reveals`,
  gameRecord: (gameId: string) => `{game:${gameId}}:record`,
  /** Question index -> when it opened (epoch ms), so a report can say how long each answer took. */
  gameOpenedAt: (gameId: string) => `{game:${gameId}}:openedAt`,
  /** Every answer of a finished game and its branch roll, kept at finalise for exports (apart from the record the API reads). */
  gameReportDetail: (gameId: string) => `{game:${gameId}}:reportDetail`,
  /** PIN -> game id, for games that have not finished. */
  gamePins: () => 'games:pins',
  /** Games not finalised yet, scored by their last activity (timers and the idle sweep read it). */
  gamesLive: () => 'games:live',
  gamesAll: () => 'games:all',
  userGames: (userId: string) => `user:${userId}:games`,
  userGameResults: (userId: string) => `user:${userId}:gameResults`,
  /** Study materials (学习资料): a versioned JSON hash, the Markdown body apart (lists never read it). */
  material: (id: string) => `material:${id}`,
  materialBody: (id: string) => `material:${id}:body`,
  materialsAll: () => 'materials:all',
  materialsSeeded: () => 'materials:seeded',
  /** Study sessions (学习会): keys of one session share the {study:ID} hash tag, like a game's. */
  studySession: (id: string) => `{study:${id}}:doc`,
  studySessionsAll: () => 'study:sessions',
  /** A live session's state (page, version, presenter, poll), the pages covered and its polls. */
  studyLive: (id: string) => `{study:${id}}:live`,
  studyPages: (id: string) => `{study:${id}}:pages`,
  studyPolls: (id: string) => `{study:${id}}:polls`,
  studyPoll: (id: string, pollId: string) => `{study:${id}}:poll:${pollId}`,
  studyPollAnswers: (id: string, pollId: string) => `{study:${id}}:poll:${pollId}:answers`,
  studyPollResults: (id: string) => `{study:${id}}:pollResults`,
  /** The last closed poll as followers saw it (question and result), for a screen that reloads after the close. */
  studyLastPoll: (id: string) => `{study:${id}}:lastPoll`,
  /** Sockets present now (socket id -> who, which process, since when, hidden) and the closed stays (attendance evidence). */
  studySockets: (id: string) => `{study:${id}}:sockets`,
  studyStays: (id: string) => `{study:${id}}:stays`,
  studySeen: (id: string) => `{study:${id}}:seen`,
  /** Sockets whose page is hidden (visibilitychange): the roster's "away", never scored. */
  studyHidden: (id: string) => `{study:${id}}:hidden`,
  /** The branch roll at the start (应到), and the record drafted at the end. */
  studyRoll: (id: string) => `{study:${id}}:roll`,
  studyRecord: (id: string) => `{study:${id}}:record`,
  /** Meeting records by the session's start, for lists and quarter exports. */
  studyRecordsAll: () => 'study:records',
  /** Records waiting for an admin's approval (session id by start), and the mark that this index was built. */
  studyRecordsSubmitted: () => 'study:records:submitted',
  studyRecordsSubmittedBuilt: () => 'study:records:submitted:built',
  /** 心得体会: member id -> { text, at } for one session. */
  studyReflections: (id: string) => `{study:${id}}:reflections`,
  /** Presence of the session, on the shared presence store (counts per process, heartbeats). */
  studyPresenceMembers: (id: string) => `{study:${id}}:presence:members`,
  studyPresenceProcesses: (id: string) => `{study:${id}}:presence:processes`,
  studyPresenceOf: (id: string, processId: string) => `{study:${id}}:presence:of:${processId}`,
  studyPresenceCount: (id: string) => `{study:${id}}:presence:count`,
  /** Live study sessions (ids), for the sweep that re-arms presence after a restart. */
  studyLiveAll: () => 'study:live',
  /** Self review (issue 11). A member's keys share the {review:MEMBER} hash tag. Cards: question id -> compact card. */
  reviewCards: (memberId: string) => `{review:${memberId}}:cards`,
  /** The append-only review log (a list of compact JSON lines). */
  reviewLog: (memberId: string) => `{review:${memberId}}:log`,
  /** One answer's result by its client attemptId (recorded once; a retry reads it back). */
  reviewAttempt: (memberId: string, attemptId: string) => `{review:${memberId}}:attempt:${attemptId}`,
  /** The daily set of one day (fixed once assembled) and its answered items. */
  reviewDaily: (memberId: string, day: string) => `{review:${memberId}}:daily:${day}`,
  reviewDailyAnswers: (memberId: string, day: string) => `{review:${memberId}}:daily:${day}:answers`,
  /** A practice sitting (member, question list) and its answered items. */
  reviewPractice: (memberId: string, sittingId: string) => `{review:${memberId}}:practice:${sittingId}`,
  reviewPracticeAnswers: (memberId: string, sittingId: string) => `{review:${memberId}}:practice:${sittingId}:answers`,
  /** A practice sitting's end (SET NX): its summary; answers after it are refused. */
  reviewPracticeFinished: (memberId: string, sittingId: string) => `{review:${memberId}}:practice:${sittingId}:finished`,
  /** Outcomes of one game or exam attempt already applied to the member's cards and book (a replay skips them). */
  reviewApplied: (memberId: string, source: string, refId: string) => `{review:${memberId}}:applied:${source}:${refId}`,
  /** The wrong-answer book: question id -> JSON entry. */
  reviewWrongBook: (memberId: string) => `{review:${memberId}}:wrongBook`,
  /** Recent answer times (ms) per question type, for the Hard rule's median. */
  reviewTimes: (memberId: string, type: string) => `{review:${memberId}}:times:${type}`,
  /** The last 50 results ('1'/'0') per tag, newest first (topic accuracy). */
  reviewTagRecent: (memberId: string, tag: string) => `{review:${memberId}}:tag:${tag}`,
  /** Days (org time zone, YYYY-MM-DD) the member answered anything in the review. */
  reviewDays: (memberId: string) => `{review:${memberId}}:days`,
  /** Per question, across members: attempts, fails, and the wrong answers given (学员常错题). */
  /** The study record (issue 12): entry id -> JSON, written once (HSETNX), never changed. */
  ledgerEntries: () => 'ledger:entries',
  /** Entry ids by time, per member and per branch at the time (`_none` for members without a branch). */
  ledgerMember: (memberId: string) => `ledger:member:${memberId}`,
  ledgerBranch: (branchId: string | null) => `ledger:branch:${branchId ?? '_none'}`,
  /**
   * Aggregates a report reads instead of the record, per branch and bucket (`d:2026-06-15`, `m:2026-06`, `q:2026-Q2`,
   * `y:2026`): a hash of `<metric>:<memberId>` counts, and the set of members who took part (for trends).
   */
  ledgerAgg: (branchId: string | null, bucket: string) => `ledger:agg:${branchId ?? '_none'}:${bucket}`,
  ledgerWho: (branchId: string | null, bucket: string) => `ledger:who:${branchId ?? '_none'}:${bucket}`,
  /** Meetings a branch held (study sessions that ended): `<sessionKind>:<sessionId>` scored by their time. */
  ledgerMeetings: (branchId: string) => `ledger:meetings:${branchId}`,
  /** The roll over time: member id -> JSON [[from, to|null], ...] (who was a member of the branch when). */
  ledgerRoll: (branchId: string) => `ledger:roll:${branchId}`,
  /** The organisation's ledger rules (JSON). */
  ledgerSettings: () => 'ledger:settings',
  /** Set once the one-off backfill has run (its finishing time). */
  ledgerBackfilled: () => 'ledger:backfilled',
  /** Study tasks (学习任务): the task (JSON), all tasks by due date, and who finished it (member id -> time, HSETNX). */
  task: (id: string) => `task:${id}`,
  tasksByDue: () => 'tasks:byDue',
  taskDone: (id: string) => `task:${id}:done`,
  /** Task ids given to a branch's roll, and to a member by name: what a new record entry is checked against. */
  tasksOfBranch: (branchId: string) => `tasks:branch:${branchId}`,
  tasksOfMember: (memberId: string) => `tasks:member:${memberId}`,
  /** In-app notifications of a member (newest first, capped): reminders from the secretary. */
  notifications: (memberId: string) => `notify:${memberId}`,
  /** Set for a day when a member is reminded (SET NX): the once-a-day rule holds under concurrent clicks. */
  reminderGate: (memberId: string) => `notify:${memberId}:reminded`,
  reviewQuestionAttempts: () => 'review:questions:attempts',
  reviewQuestionFails: () => 'review:questions:fails',
  reviewWrongAnswers: (questionId: string) => `review:question:${questionId}:wrong`,
  /** Questions some member has failed 8 times (leeches). */
  reviewLeeches: () => 'review:questions:leeches',
  /** A finished game whose logged-in players' answers went to the review (SET NX, so only once). */
  reviewGameRecorded: (gameId: string) => `review:gameRecorded:${gameId}`,
  /** Mock exams (模拟考试): the published exam with its frozen questions (answer key included: server only). */
  exam: (id: string) => `exam:${id}`,
  examsAll: () => 'exams:all',
  /** Member id -> their attempt still open (one at a time per exam). */
  examOpenAttempts: (examId: string) => `exam:${examId}:open`,
  /** Every attempt of an exam, by start time (results read these). */
  examAttempts: (examId: string) => `exam:${examId}:attempts`,
  /** A member's attempts (all exams), by start time: their history. */
  userExamAttempts: (userId: string) => `user:${userId}:examAttempts`,
  /** One attempt: its fields (hash), answers (index -> JSON) and per-answer correctness (index -> 0|1, never sent). */
  examAttempt: (id: string) => `{examAttempt:${id}}:doc`,
  examAttemptAnswers: (id: string) => `{examAttempt:${id}}:answers`,
  examAttemptCorrect: (id: string) => `{examAttempt:${id}}:correct`,
  /** Open attempts by absolute deadline: the sweep grades those whose deadline passed. */
  examDeadlines: () => 'exams:deadlines',
  /** Graded attempts whose answers have not yet reached the review sink, by grading time (retried by the sweep). */
  examOutcomesPending: () => 'exams:outcomesPending',
  /** Placeholder for an optional key argument of a script (never written). */
  none: () => 'none:unused',
};
