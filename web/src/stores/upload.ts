import type { ImportAccepted } from '@catalog/domain';
import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import { ApiError } from '../api/errors';
import { type Upload, type UploadedFile, uploadFile } from '../api/upload';
import { useSessionStore } from './session';
import { useTrackedImportsStore } from './trackedImports';

/** Drop a file → uploading → mapping → accepted (imported at once) or reviewing (a job waiting for Apply). */
export type UploadState =
  | { phase: 'idle' }
  | { phase: 'uploading'; file: File; loaded: number; total: number }
  | { phase: 'mapping'; file: File; upload: UploadedFile }
  | { phase: 'reviewing'; jobId: string }
  | { phase: 'accepted'; file: File; accepted: ImportAccepted }
  | { phase: 'failed'; file: File; error: ApiError };

/**
 * A store rather than page state: an upload cannot be resumed, so it keeps going while the user
 * looks at another page, and the Import page shows it (or its mapping) again on return.
 */
export const useUploadStore = defineStore('upload', () => {
  const state = shallowRef<UploadState>({ phase: 'idle' });
  let current: Upload | null = null;

  async function start(file: File): Promise<void> {
    current?.abort();
    state.value = { phase: 'uploading', file, loaded: 0, total: file.size };
    const upload = uploadFile(file, ({ loaded, total }) => {
      if (current === upload) state.value = { phase: 'uploading', file, loaded, total };
    });
    current = upload;
    try {
      state.value = { phase: 'mapping', file, upload: await upload.done };
    } catch (error) {
      // A newer upload replaced this one; its own state is what the user should see.
      if (current !== upload) return;
      const apiError = error instanceof ApiError ? error : new ApiError(0, 'upload_failed', String(error));
      // Sent with XMLHttpRequest, so not through the API client that notices an ended session.
      if (apiError.status === 401) useSessionStore().ended();
      state.value = { phase: 'failed', file, error: apiError };
    } finally {
      if (current === upload) current = null;
    }
  }

  /** The mapped import started without review: it is followed as a current import. */
  function imported(accepted: ImportAccepted): void {
    if (state.value.phase !== 'mapping') return;
    useTrackedImportsStore().trackUnfinished(accepted.jobId);
    state.value = { phase: 'accepted', file: state.value.file, accepted };
  }

  /** An import waiting for review (just started, or named by the page's address). */
  function reviewing(jobId: string): void {
    state.value = { phase: 'reviewing', jobId };
  }

  /** Applied (now followed as a current import) or discarded: the review screen closes. */
  function reviewEnded(applied: boolean): void {
    if (state.value.phase !== 'reviewing') return;
    if (applied) useTrackedImportsStore().trackUnfinished(state.value.jobId);
    state.value = { phase: 'idle' };
  }

  function abort(): void {
    current?.abort();
  }

  function reset(): void {
    if (state.value.phase !== 'uploading') state.value = { phase: 'idle' };
  }

  return { state, start, imported, reviewing, reviewEnded, abort, reset };
});
