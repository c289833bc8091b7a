import { createExamsStore } from '../../store/review/examsStore';
import type { ServiceDeps } from '../deps';
import type { ActivitySink } from '../ledger/activity';
import type { QuizzesService } from '../quizzesService';
import { createExamResults } from './examResults';
import { createExamsService } from './exams';
import type { ReviewOutcomeSink } from './outcomes';

/** Mock exams (issue 11): the attempts service and the publisher's results; graded attempts go to the review and the record. */
export function createExamServices(deps: ServiceDeps, quizzes: QuizzesService, outcomes: ReviewOutcomeSink, activity: ActivitySink) {
  const store = createExamsStore(deps.redis);
  const exams = createExamsService({ store, quizzes, branches: deps.stores.branches, outcomes, activity, clock: deps.clock, logger: deps.logger });
  return { exams, results: createExamResults(exams, store, deps.stores.users, deps.stores.branches) };
}
