import { notifyError } from './toasts.svelte';

/** A form's submit: the page stays, `busy` holds while the action runs, and a failure shows as a toast. */
export class Submitting {
  busy = $state(false);
  readonly #action: () => Promise<void>;

  constructor(action: () => Promise<void>) {
    this.#action = action;
  }

  submit = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    this.busy = true;
    try {
      await this.#action();
    } catch (error) {
      notifyError(error);
    } finally {
      this.busy = false;
    }
  };
}
