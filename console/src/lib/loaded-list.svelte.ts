import { notifyError } from './toasts.svelte';

/**
 * A list read from the server: `items` stays undefined until the first answer; a failed read
 * shows as a toast and keeps what was there (an empty list the first time).
 */
export class LoadedList<T> {
  items = $state<T[] | undefined>();
  readonly #read: () => Promise<T[]>;

  constructor(read: () => Promise<T[]>) {
    this.#read = read;
    void this.load();
  }

  load = async (): Promise<void> => {
    try {
      this.items = await this.#read();
    } catch (error) {
      notifyError(error);
      this.items = this.items ?? [];
    }
  };
}
