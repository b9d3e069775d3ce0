import { defineStore } from 'pinia';
import { ref } from 'vue';

const storageKey = 'catalog-importer.active-imports';

function readStored(): string[] {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(storageKey) ?? '[]');
    return Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * The imports this browser is watching, newest first. Unfinished ones are kept in
 * localStorage so a reload or a second tab reattaches to them; finished ones stay on screen
 * (showing their summary) until dismissed, but are not remembered across reloads.
 */
export const useTrackedImportsStore = defineStore('trackedImports', () => {
  const ids = ref<string[]>(readStored());
  let unfinished = new Set(ids.value);

  function persist(): void {
    localStorage.setItem(storageKey, JSON.stringify([...unfinished]));
  }

  function track(id: string): void {
    if (!ids.value.includes(id)) ids.value = [id, ...ids.value];
  }

  function trackUnfinished(id: string): void {
    track(id);
    unfinished.add(id);
    persist();
  }

  function markFinished(id: string): void {
    if (unfinished.delete(id)) persist();
  }

  function dismiss(id: string): void {
    ids.value = ids.value.filter((tracked) => tracked !== id);
    markFinished(id);
  }

  // Another tab started an import: show it here too.
  window.addEventListener('storage', (event) => {
    if (event.key !== storageKey) return;
    unfinished = new Set(readStored());
    for (const id of unfinished) track(id);
  });

  return { ids, track, trackUnfinished, markFinished, dismiss };
});
