import { type Ref, shallowRef } from 'vue';
import { getMeta, type Meta } from '../api/meta';
import { useApiClient } from './useApiClient';

export function useMeta(): Readonly<Ref<Meta | null>> {
  const api = useApiClient();
  const meta = shallowRef<Meta | null>(null);
  getMeta(api).then(
    (value) => {
      meta.value = value;
    },
    // The client already showed the failure as a toast; the header simply omits the links.
    () => undefined,
  );
  return meta;
}
