import type { Role } from '@catalog/domain';

/** The roles as pickers offer them, with what each may do (the API's rules, in words). */
export const roleOptions: { value: Role; label: string; description: string }[] = [
  { value: 'viewer', label: 'Viewer', description: 'reads products, imports and webhooks' },
  { value: 'editor', label: 'Editor', description: 'also imports and edits products' },
  { value: 'admin', label: 'Admin', description: 'also deletes all, manages webhooks, users and API keys' },
];
