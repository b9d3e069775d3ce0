import { defineStore } from 'pinia';
import { ref } from 'vue';

export type ToastKind = 'info' | 'success' | 'error';

export interface Toast {
  id: number;
  kind: ToastKind;
  message: string;
}

// Errors stay longer: people need time to read what went wrong.
const lifetimeMs: Record<ToastKind, number> = { info: 5000, success: 5000, error: 10000 };

export const useToastStore = defineStore('toasts', () => {
  const toasts = ref<Toast[]>([]);
  let nextId = 1;

  function dismiss(id: number): void {
    toasts.value = toasts.value.filter((toast) => toast.id !== id);
  }

  function show(kind: ToastKind, message: string): void {
    // A failing poll or a double click would otherwise stack the same message many times.
    if (toasts.value.some((toast) => toast.kind === kind && toast.message === message)) return;
    const id = nextId++;
    toasts.value = [...toasts.value, { id, kind, message }];
    setTimeout(() => dismiss(id), lifetimeMs[kind]);
  }

  return {
    toasts,
    dismiss,
    show,
    info: (message: string) => show('info', message),
    success: (message: string) => show('success', message),
    error: (message: string) => show('error', message),
  };
});
