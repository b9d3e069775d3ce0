import type { Role } from '@catalog/domain';
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { SignedInUser } from '../api/auth';

// Spelled here rather than importing roleAtLeast: a value import from @catalog/domain pulls zod into
// the main chunk. `Record<Role, …>` makes the compiler name any role added there and missing here.
const rank: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };

/**
 * Who is signed in, for the whole app: the router guard reads it, the header shows it, and pages
 * hide what the role cannot do (the API refuses it anyway; hiding only spares people a 403).
 */
export const useSessionStore = defineStore('session', () => {
  const user = ref<SignedInUser | null>(null);
  /** True once the session ended under the user (a 401), rather than by signing out. */
  const expired = ref(false);

  function signedIn(me: SignedInUser): void {
    user.value = me;
    expired.value = false;
  }

  /** The server answered 401 to a request that needed a session. */
  function ended(): void {
    if (user.value) expired.value = true;
    user.value = null;
  }

  return {
    user,
    expired,
    role: computed(() => user.value?.role ?? null),
    can: (needed: Role): boolean => user.value !== null && rank[user.value.role] >= rank[needed],
    signedIn,
    ended,
  };
});
