import type { Material } from '../../../../shared/schemas/study';
import { MAX_PDF_BYTES } from './materialLimits';
import { ApiError } from '../../api';

/** Tags as typed: commas (either width), 、 or spaces separate them; duplicates and blanks go. */
export function parseTags(text: string): string[] {
  return [...new Set(text.split(/[,，、\s]+/).map((s) => s.trim()).filter(Boolean))].slice(0, 10);
}

/** Admins edit everything; a secretary edits their own branch's materials (organisation-wide ones are read-only). */
export function canEditMaterial(user: { role: string; branchId: string | null } | null, m: Pick<Material, 'branchId'>): boolean {
  if (!user) return false;
  return user.role === 'admin' || (user.role === 'secretary' && m.branchId !== null && m.branchId === user.branchId);
}

export const PDF_LIMIT_MB = Math.round(MAX_PDF_BYTES / 1024 / 1024);

/**
 * POSTs the file to /api/materials/:id/file with upload progress (fetch cannot report it, so XMLHttpRequest).
 * Resolves with the updated material; rejects with an ApiError carrying the server's envelope (413 has none when a
 * proxy in front answers it).
 */
export function uploadPdf(id: string, file: File, onProgress: (percent: number) => void): Promise<Material> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/materials/${encodeURIComponent(id)}/file`);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', 'network'));
    xhr.onload = () => {
      let data: { material?: Material; error?: { code?: string; message?: string; details?: unknown } } | undefined;
      try {
        data = JSON.parse(xhr.responseText);
      } catch {
        data = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300 && data?.material) resolve(data.material);
      else reject(new ApiError(xhr.status, data?.error?.code ?? `HTTP_${xhr.status}`, data?.error?.message ?? `HTTP ${xhr.status}`, data?.error?.details));
    };
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}
