// What the admin pages do on a click: an Action runs one request at a time and keeps its error
// to show in place; a Confirm holds the thing a confirmation dialog asks about while it is open.
import { messageOf } from './loader.svelte';

export class Action {
  busy = $state(false);
  error: string | null = $state(null);

  /** Runs `work`; true if it succeeded, else false with `error` set to the API's message. */
  async run(work: () => Promise<unknown>): Promise<boolean> {
    this.busy = true;
    this.error = null;
    try {
      await work();
      return true;
    } catch (e) {
      this.error = messageOf(e);
      return false;
    } finally {
      this.busy = false;
    }
  }

  /** Shows a mistake found before asking (a form's check), or clears the last error. */
  refuse(error: string | null | undefined): void {
    this.error = error ?? null;
  }
}

export class Confirm<T> {
  open = $state(false);
  target: T | null = $state(null);

  ask(target: T): void {
    this.target = target;
    this.open = true;
  }
}
