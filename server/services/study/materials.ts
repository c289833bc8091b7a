import type { Material, MaterialCreateInput, MaterialUpdateInput } from '../../../shared/schemas/study';
import { splitMarkdownPages } from '../../../shared/markdownPages';
import type { User } from '../../../shared/schemas/users';
import { conflict, forbidden, invalidInput, notFound } from '../../domain/errors';
import type { Clock } from '../../infra/clock';
import type { BranchesStore } from '../../store/branchesStore';
import { newId } from '../../store/ids';
import type { MaterialsStore, StoredMaterial } from '../../store/study/materialsStore';
import type { PdfFiles } from '../../store/study/pdfFiles';
import { countPdfPages } from './pdfPages';

/** Everyone sees organisation-wide materials and their own branch's; admins see all. */
export const canSeeMaterial = (actor: User, m: Pick<Material, 'branchId'>) => actor.role === 'admin' || m.branchId === null || m.branchId === actor.branchId;
/** Admins manage everything; a secretary manages their own branch's materials (organisation-wide ones are read-only). */
export const canEditMaterial = (actor: User, m: Pick<Material, 'branchId'>) =>
  actor.role === 'admin' || (actor.role === 'secretary' && m.branchId !== null && m.branchId === actor.branchId);

export interface MaterialsDeps {
  store: MaterialsStore;
  files: PdfFiles;
  branches: BranchesStore;
  clock: Clock;
  /** Sessions not yet ended that use a material: deleting it would leave them without their pages. */
  usedBy(materialId: string): Promise<{ id: string; title: string }[]>;
}

export function createMaterialsService({ store, files, branches, clock, usedBy }: MaterialsDeps) {
  async function load(actor: User, id: string): Promise<StoredMaterial & { version: number }> {
    const m = await store.get(id);
    if (!m || !canSeeMaterial(actor, m)) throw notFound('学习资料');
    return m;
  }

  async function loadForEdit(actor: User, id: string) {
    const m = await load(actor, id);
    if (!canEditMaterial(actor, m)) throw forbidden(m.branchId === null ? '全组织的学习资料只有管理员可以修改' : '只能修改本支部的学习资料');
    return m;
  }

  async function ownerBranch(actor: User, requested: string | null | undefined): Promise<string | null> {
    if (actor.role === 'secretary') {
      if (requested !== undefined && requested !== actor.branchId) throw forbidden('支部书记只能为本支部添加学习资料');
      return actor.branchId;
    }
    if (actor.role !== 'admin') throw forbidden('只有管理员和支部书记可以添加学习资料');
    if (requested && !(await branches.get(requested))) throw notFound('支部');
    return requested ?? null;
  }

  const stale = () => conflict('资料已被他人修改，请刷新后再编辑');

  return {
    canSee: canSeeMaterial,

    async list(actor: User, filter: { q?: string; tag?: string; branchId?: string }): Promise<{ items: Material[]; total: number }> {
      const q = filter.q?.toLowerCase();
      const items = (await store.all()).filter(
        (m) =>
          canSeeMaterial(actor, m) &&
          (!filter.tag || m.tags.includes(filter.tag)) &&
          (!filter.branchId || m.branchId === filter.branchId) &&
          (!q || m.title.toLowerCase().includes(q) || m.tags.some((t) => t.toLowerCase().includes(q))),
      );
      return { items, total: items.length };
    },

    /** One material; a Markdown one with its body. */
    async get(actor: User, id: string): Promise<Material> {
      const m = await load(actor, id);
      return m.kind === 'markdown' ? { ...m, body: (await store.body(id)) ?? '' } : m;
    },

    async create(actor: User, input: MaterialCreateInput): Promise<Material> {
      const branchId = await ownerBranch(actor, input.branchId);
      const body = input.kind === 'markdown' ? (input.body ?? '') : null;
      const m: StoredMaterial = {
        id: newId(),
        title: input.title,
        tags: input.tags,
        branchId,
        kind: input.kind,
        pages: body === null ? 0 : splitMarkdownPages(body).length,
        source: input.source ?? '',
        createdBy: actor.id,
        updatedAt: clock.now(),
        file: null,
      };
      const saved = await store.save(m, body, 0);
      if (!saved.ok) throw conflict('资料编号冲突，请重试');
      return { ...m, version: saved.version, ...(body === null ? {} : { body }) };
    },

    async update(actor: User, id: string, input: MaterialUpdateInput): Promise<Material> {
      const m = await loadForEdit(actor, id);
      if (m.kind === 'pdf' && input.body !== undefined) throw invalidInput('PDF 资料没有正文，请上传文件', [{ path: 'body', message: 'PDF 资料请上传文件' }]);
      const body = m.kind === 'markdown' && input.body !== undefined ? input.body : null;
      if (body !== null && body.trim() === '') throw invalidInput('请填写资料正文', [{ path: 'body', message: '请填写资料正文' }]);
      const { version: _version, ...current } = m;
      const next: StoredMaterial = {
        ...current,
        title: input.title,
        tags: input.tags,
        source: input.source ?? m.source,
        pages: body === null ? m.pages : splitMarkdownPages(body).length,
        updatedAt: clock.now(),
      };
      const saved = await store.save(next, body, input.version);
      if (!saved.ok) throw saved.reason === 'missing' ? notFound('学习资料') : stale();
      return this.get(actor, id);
    },

    async remove(actor: User, id: string): Promise<void> {
      await loadForEdit(actor, id);
      const sessions = await usedBy(id);
      if (sessions.length > 0) {
        throw conflict(`有 ${sessions.length} 场未结束的学习会使用这份资料，不能删除`, sessions.map((s) => ({ id: s.id, title: s.title })));
      }
      if (!(await store.remove(id))) throw notFound('学习资料');
    },

    /** Stores a PDF (checked to really be one) and records its page count; the previous file stays for old records. */
    async attachPdf(actor: User, id: string, upload: { buffer: Buffer; name: string }): Promise<Material> {
      const m = await loadForEdit(actor, id);
      if (m.kind !== 'pdf') throw invalidInput('只有 PDF 类型的资料可以上传文件');
      const pages = await countPdfPages(upload.buffer);
      if (pages === null || pages === 0) throw invalidInput('上传的文件不是有效的 PDF', [{ path: 'file', message: '不是有效的 PDF 文件' }]);
      const { sha256, size } = await files.put(upload.buffer);
      const { version, ...rest } = m;
      const next: StoredMaterial = { ...rest, pages, file: { sha256, size, name: upload.name }, updatedAt: clock.now() };
      const saved = await store.save(next, null, version);
      if (!saved.ok) throw saved.reason === 'missing' ? notFound('学习资料') : stale();
      return { ...next, version: saved.version };
    },

    /** The path of a material's PDF, for a user who may see it. */
    async pdfPath(actor: User, id: string): Promise<{ path: string; name: string }> {
      const m = await load(actor, id);
      if (m.kind !== 'pdf' || !m.file || !(await files.exists(m.file.sha256))) throw notFound('资料文件');
      return { path: files.pathOf(m.file.sha256), name: m.file.name };
    },
  };
}

export type MaterialsService = ReturnType<typeof createMaterialsService>;
