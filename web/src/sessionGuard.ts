import { sameSitePath } from '@catalog/domain';
import { watch } from 'vue';
import type { RouteLocationNormalized, RouteLocationRaw, Router } from 'vue-router';
import { fetchMe } from './api/auth';
import type { ApiClient } from './api/client';
import type { useSessionStore } from './stores/session';
import type { useToastStore } from './stores/toasts';

export interface SessionGuardOptions {
  api: ApiClient;
  session: ReturnType<typeof useSessionStore>;
  toasts: ReturnType<typeof useToastStore>;
}

// The start page needs no `next`: it is where sign-in leads anyway.
const signInFor = (to: RouteLocationNormalized): RouteLocationRaw =>
  to.fullPath === '/' ? { name: 'sign-in' } : { name: 'sign-in', query: { next: to.fullPath } };

/**
 * Every page but sign-in needs a session: the first navigation asks the API who is signed in
 * (once), and anyone else is sent to sign in, then back where they were going. A session that
 * ends later (the API answers 401, see main.ts) sends the user to sign in the same way.
 */
export function installSessionGuard(router: Router, { api, session, toasts }: SessionGuardOptions): void {
  const loaded = fetchMe(api).then(
    ({ user }) => session.signedIn(user),
    // A 401 means nobody is signed in; if the API is unreachable the sign-in form says so next.
    () => undefined,
  );

  router.beforeEach(async (to) => {
    await loaded;
    if (to.meta.public) return to.name === 'sign-in' && session.user ? sameSitePath(to.query.next) : true;
    if (!session.user) return signInFor(to);
    const needed = to.meta.role;
    if (needed && !session.can(needed)) {
      toasts.info(`${to.meta.title ?? 'That page'} needs the ${needed} role.`);
      return '/';
    }
    return true;
  });

  watch(
    () => session.user,
    (user) => {
      const current = router.currentRoute.value;
      if (user || current.meta.public) return;
      if (session.expired) toasts.info('Your session has ended. Sign in again to continue.');
      void router.replace(signInFor(current));
    },
  );
}
