import { Router } from 'express';
import { branchSummaryQuerySchema, practiceStartSchema, reviewAnswerSchema, wrongBookQuerySchema } from '../../shared/schemas/review';
import type { ReviewServices } from '../services/review';
import { requireUser } from './session';
import { idParam, validate } from './validate';

/**
 * Self review (issue 11): every route works on the signed-in member's own cards, sets and book. Mounted before the
 * bank's routes, so `/questions/hard` is not read as the question with id "hard".
 */
export function reviewRoutes(review: Pick<ReviewServices, 'daily' | 'answers' | 'practice' | 'wrongBook' | 'stats'>): Router {
  const router = Router();
  router.param('id', idParam);

  router.get('/review/daily', async (_req, res) => {
    res.json(await review.daily.get(requireUser(res)));
  });

  router.post('/review/answers', async (req, res) => {
    const member = requireUser(res);
    res.json(await review.answers.answer(member, validate(reviewAnswerSchema, req.body)));
  });

  router.get('/review/topics', async (_req, res) => {
    res.json(await review.stats.topics(requireUser(res)));
  });

  router.post('/review/practice', async (req, res) => {
    const member = requireUser(res);
    res.status(201).json({ sitting: await review.practice.start(member, validate(practiceStartSchema, req.body)) });
  });

  /** Resume a practice on any device (the member's own; another's is 404). */
  router.get('/review/practice/:id', async (req, res) => {
    res.json({ sitting: await review.practice.get(requireUser(res), req.params.id) });
  });

  /** 结束练习: `{ answered, correct }`; later answers to the sitting are 409 CONFLICT. */
  router.post('/review/practice/:id/finish', async (req, res) => {
    res.json(await review.practice.finish(requireUser(res), req.params.id));
  });

  router.get('/review/wrong-book', async (req, res) => {
    const member = requireUser(res);
    res.json(await review.wrongBook.list(member, validate(wrongBookQuerySchema, req.query)));
  });

  router.get('/me/stats', async (_req, res) => {
    res.json(await review.stats.mine(requireUser(res)));
  });

  /** A branch's self review in aggregate (secretary: their own; admin: ?branchId=). */
  router.get('/review/branch-summary', async (req, res) => {
    const actor = requireUser(res);
    const { branchId } = validate(branchSummaryQuerySchema, req.query);
    res.json(await review.stats.branchSummary(actor, branchId));
  });

  router.get('/questions/hard', async (_req, res) => {
    res.json(await review.stats.hard(requireUser(res, 'admin', 'secretary')));
  });

  return router;
}
