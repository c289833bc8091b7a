import { ErrorCode } from '../../../shared/errors';
import type { StudySession, StudySessionCreateInput, StudySessionPatchInput, StudySessionStatus } from '../../../shared/schemas/study';
import type { User } from '../../../shared/schemas/users';
import { AppError, conflict, forbidden, invalidInput, notFound } from '../../domain/errors';
import type { Clock } from '../../infra/clock';
import type { BranchesStore } from '../../store/branchesStore';
import { newId } from '../../store/ids';
import type { MaterialsStore } from '../../store/study/materialsStore';
import type { StoredStudySession, StudySessionsStore } from '../../store/study/sessionsStore';
import type { UsersStore } from '../../store/usersStore';

type Loaded = StoredStudySession & { version: number };

/** Hosts: the branch's secretary, the session's creator, or an admin. */
export const isStudyHost = (actor: Pick<User, 'id' | 'role' | 'branchId'>, s: Pick<StudySession, 'branchId' | 'createdBy'>) =>
  actor.role === 'admin' || actor.id === s.createdBy || (actor.role === 'secretary' && actor.branchId === s.branchId);

/** Who may see a session: its branch, its hosts, and anyone when observers (列席) are allowed. */
const canSee = (actor: User, s: StoredStudySession) => isStudyHost(actor, s) || actor.branchId === s.branchId || s.allowObservers;

/** Fields that may still change once a session is live (what it is and where its material comes from are fixed). */
const LIVE_EDITABLE = new Set<keyof StudySessionPatchInput>(['title', 'place', 'presenterId', 'recorderId', 'allowObservers']);

export interface StudySessionsDeps {
  store: StudySessionsStore;
  materials: MaterialsStore;
  branches: BranchesStore;
  users: UsersStore;
  clock: Clock;
}

const wrongPhase = (message: string) => new AppError(ErrorCode.WRONG_PHASE, message);

export function createStudySessionsService({ store, materials, branches, users, clock }: StudySessionsDeps) {
  async function load(actor: User, id: string): Promise<Loaded> {
    const s = await store.get(id);
    if (!s || !canSee(actor, s)) throw notFound('学习会');
    return s;
  }

  async function loadAsHost(actor: User, id: string): Promise<Loaded> {
    const s = await load(actor, id);
    if (!isStudyHost(actor, s)) throw forbidden('只有本支部书记、发起人或管理员可以管理学习会');
    return s;
  }

  /** A material the session's branch may use, and people who exist and are active. Nothing is written before these pass. */
  async function checkRefs(branchId: string, refs: { materialId?: string | null; presenterId?: string | null; recorderId?: string | null }) {
    if (refs.materialId) {
      const m = await materials.get(refs.materialId);
      if (!m || (m.branchId !== null && m.branchId !== branchId)) throw invalidInput('学习资料不存在或不属于本支部', [{ path: 'materialId', message: '学习资料不存在' }]);
    }
    for (const field of ['presenterId', 'recorderId'] as const) {
      const id = refs[field];
      if (!id) continue;
      const u = await users.get(id);
      if (!u || u.disabled) throw invalidInput('指定的人员不存在', [{ path: field, message: '人员不存在或已停用' }]);
    }
  }

  async function write(next: StoredStudySession, expectedVersion: number): Promise<StudySession> {
    const saved = await store.save(next, expectedVersion);
    if (!saved.ok) throw saved.reason === 'missing' ? notFound('学习会') : conflict('学习会已被他人修改，请刷新后重试');
    return { ...next };
  }

  /** Moves a session planned -> live -> ended exactly once (a versioned write: of two concurrent starts, one wins). */
  async function transition(actor: User, id: string, from: StudySessionStatus, to: StudySessionStatus): Promise<StudySession> {
    const s = await loadAsHost(actor, id);
    if (s.status !== from) throw wrongPhase(s.status === 'ended' ? '学习会已经结束' : to === 'live' ? '学习会已经开始' : '学习会还没有开始');
    const { version, ...rest } = s;
    const now = clock.now();
    const next: StoredStudySession = { ...rest, status: to, ...(to === 'live' ? { startedAt: now } : { endedAt: now }) };
    const saved = await store.save(next, version);
    if (!saved.ok) throw wrongPhase('学习会状态已变化，请重试');
    await store.setLive(id, to === 'live');
    return next;
  }

  return {
    load,
    loadAsHost,
    /** The session as stored, for callers that check access themselves (the /study namespace). */
    async peek(id: string): Promise<StudySession | null> {
      const s = await store.get(id);
      if (!s) return null;
      const { version: _v, ...rest } = s;
      return rest;
    },
    isHost: isStudyHost,

    async create(actor: User, input: StudySessionCreateInput): Promise<StudySession> {
      if (actor.role === 'member') throw forbidden('只有管理员和支部书记可以安排学习会');
      if (actor.role === 'secretary' && input.branchId !== actor.branchId) throw forbidden('支部书记只能为本支部安排学习会');
      if (!(await branches.get(input.branchId))) throw notFound('支部');
      await checkRefs(input.branchId, input);
      const s: StoredStudySession = {
        id: newId(),
        title: input.title,
        kind: input.kind,
        branchId: input.branchId,
        materialId: input.materialId ?? null,
        plannedAt: input.plannedAt,
        place: input.place ?? '',
        presenterId: input.presenterId ?? null,
        recorderId: input.recorderId ?? null,
        allowObservers: input.allowObservers,
        status: 'planned',
        startedAt: null,
        endedAt: null,
        createdBy: actor.id,
        createdAt: clock.now(),
      };
      return write(s, 0);
    },

    async list(actor: User, query: { branchId?: string; from?: number; to?: number; status?: StudySessionStatus }): Promise<{ items: StudySession[]; total: number }> {
      if (actor.role !== 'admin' && query.branchId && query.branchId !== actor.branchId) throw forbidden('只能查看本支部的学习会');
      const branchId = actor.role === 'admin' ? query.branchId : (actor.branchId ?? '');
      const items = (await store.all())
        .filter((s) => (!branchId || s.branchId === branchId) && (query.from === undefined || s.plannedAt >= query.from) && (query.to === undefined || s.plannedAt <= query.to) && (!query.status || s.status === query.status))
        .map(({ version: _v, ...s }) => s)
        .sort((a, b) => a.plannedAt - b.plannedAt);
      return { items, total: items.length };
    },

    async get(actor: User, id: string): Promise<StudySession> {
      const { version: _v, ...s } = await load(actor, id);
      return s;
    },

    async patch(actor: User, id: string, patch: StudySessionPatchInput): Promise<StudySession> {
      const s = await loadAsHost(actor, id);
      if (s.status === 'ended') throw wrongPhase('学习会已经结束，不能修改（请修改会议记录）');
      if (s.status === 'live') {
        const fixed = Object.keys(patch).filter((k) => !LIVE_EDITABLE.has(k as keyof StudySessionPatchInput));
        if (fixed.length) throw wrongPhase(`学习会进行中，不能修改：${fixed.join('、')}`);
      }
      await checkRefs(s.branchId, patch);
      const { version, ...rest } = s;
      return write({ ...rest, ...patch, place: patch.place ?? rest.place }, version);
    },

    async remove(actor: User, id: string): Promise<void> {
      const s = await loadAsHost(actor, id);
      if (s.status !== 'planned') throw wrongPhase('只能删除尚未开始的学习会');
      if (!(await store.remove(id))) throw notFound('学习会');
    },

    start: (actor: User, id: string) => transition(actor, id, 'planned', 'live'),
    end: (actor: User, id: string) => transition(actor, id, 'live', 'ended'),

    liveIds: () => store.liveIds(),

    /** Sessions running now that the actor may see (the dashboard): read through the live index, not every session. */
    async live(actor: User): Promise<StudySession[]> {
      const found: StudySession[] = [];
      for (const id of await store.liveIds()) {
        const s = await store.get(id);
        if (!s || s.status !== 'live' || (actor.role !== 'admin' && s.branchId !== actor.branchId)) continue;
        const { version: _v, ...session } = s;
        found.push(session);
      }
      return found;
    },

    /** Sessions not yet ended that use a material (a material in use cannot be deleted). */
    async usingMaterial(materialId: string): Promise<{ id: string; title: string }[]> {
      return (await store.all()).filter((s) => s.materialId === materialId && s.status !== 'ended').map((s) => ({ id: s.id, title: s.title }));
    },
  };
}

export type StudySessionsService = ReturnType<typeof createStudySessionsService>;
