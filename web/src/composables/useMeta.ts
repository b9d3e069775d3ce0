import { type Ref, shallowRef, watch } from 'vue';
import { getMeta, type Meta } from '../api/meta';
import { useSessionStore } from '../stores/session';
import { useApiClient } from './useApiClient';

/** The service's links and version, read once someone is signed in (the API asks for a session). */
export function useMeta(): Readonly<Ref<Meta | null>> {
  const api = useApiClient();
  const session = useSessionStore();
  const meta = shallowRef<Meta | null>(null);
  watch(
    () => session.user !== null,
    (signedIn) => {
      if (!signedIn || meta.value) return;
      getMeta(api).then(
        (value) => {
          meta.value = value;
        },
        // The client already showed the failure as a toast; the header simply omits the links.
        () => undefined,
      );
    },
    { immediate: true },
  );
  return meta;
}
