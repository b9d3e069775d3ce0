import { onBeforeUnmount, type Ref, ref, watch } from 'vue';

/**
 * Whether any of the elements, clamped by CSS, hides part of its text: only then is a "More" control
 * worth showing. Re-measured whenever an element is resized (a column narrowed, the window changed)
 * or replaced (a row left edit mode).
 */
export function useLineClamp(targets: Readonly<Ref<HTMLElement | null>>[]) {
  const clipped = ref(false);
  const observer = new ResizeObserver(() => {
    clipped.value = targets.some(
      ({ value: element }) => element !== null && element.scrollHeight > element.clientHeight + 1,
    );
  });
  watch(
    () => targets.map((target) => target.value),
    (elements) => {
      observer.disconnect();
      for (const element of elements) if (element) observer.observe(element);
    },
    { flush: 'post', immediate: true },
  );
  onBeforeUnmount(() => observer.disconnect());
  return { clipped };
}
