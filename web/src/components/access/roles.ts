import type { Role } from '@catalog/domain';

/** The roles as pickers offer them, with what each may do (the API's rules, in words). */
export const roleOptions: { value: Role; label: string; description: string }[] = [
  { value: 'viewer', label: 'Viewer', description: 'reads, changes nothing' },
  { value: 'editor', label: 'Editor', description: 'imports and edits products' },
  { value: 'admin', label: 'Admin', description: 'everything, with users and keys' },
];
