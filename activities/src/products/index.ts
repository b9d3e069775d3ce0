import type { ActivityDeps } from '../deps';
import { createBulkDeleteActivities } from './bulk-delete';

export function createProductActivities(deps: ActivityDeps) {
  return { ...createBulkDeleteActivities(deps) };
}

export type ProductActivities = ReturnType<typeof createProductActivities>;
