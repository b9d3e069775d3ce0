import type { MappingOptions, MappingSource, MappingTarget } from '@catalog/domain';
import { ApiError, networkError, parseBody, toApiError } from './errors';

/** POST /api/uploads answers with the file's columns and a suggested mapping (the Upload schema). */
export interface UploadedFile {
  id: string;
  fileName: string;
  bytes: number;
  delimiter: string;
  columns: { index: number; header: string; samples: string[] }[];
  platform: string | null;
  suggestedMapping: Record<MappingTarget, MappingSource>;
  suggestedOptions: MappingOptions;
  reasons: string[];
  preset: { id: string; name: string } | null;
}

export interface UploadProgress {
  loaded: number;
  total: number;
}

export interface Upload {
  done: Promise<UploadedFile>;
  abort(): void;
}

/**
 * XMLHttpRequest rather than fetch: fetch still has no upload progress events, and a
 * half-gigabyte file without a byte counter looks like a hang.
 */
export function uploadFile(file: File, onProgress: (progress: UploadProgress) => void): Upload {
  const xhr = new XMLHttpRequest();
  const done = new Promise<UploadedFile>((resolve, reject) => {
    xhr.upload.addEventListener('progress', (event) => {
      // The multipart envelope adds a few hundred bytes; report against the file the user chose.
      onProgress({ loaded: Math.min(event.loaded, file.size), total: file.size });
    });
    xhr.addEventListener('load', () => {
      const body = parseBody(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as UploadedFile);
      else reject(toApiError(xhr.status, body));
    });
    xhr.addEventListener('error', () => reject(networkError()));
    xhr.addEventListener('abort', () => reject(new ApiError(0, 'upload_aborted', 'Upload cancelled.')));
  });

  const form = new FormData();
  form.append('file', file, file.name);
  xhr.open('POST', '/api/uploads');
  xhr.setRequestHeader('accept', 'application/json');
  xhr.send(form);

  return { done, abort: () => xhr.abort() };
}
