import { errorMessage } from './api';

export interface Toast {
  id: number;
  kind: 'error' | 'success';
  text: string;
}

export const toasts = $state<Toast[]>([]);
let next = 1;

export function notify(kind: Toast['kind'], text: string): void {
  const id = next++;
  toasts.push({ id, kind, text });
  // Errors stay until dismissed: they may need reading twice.
  if (kind === 'success') setTimeout(() => dismiss(id), 4000);
}

export function notifyError(error: unknown): void {
  notify('error', errorMessage(error));
}

export function dismiss(id: number): void {
  const at = toasts.findIndex((toast) => toast.id === id);
  if (at !== -1) toasts.splice(at, 1);
}
