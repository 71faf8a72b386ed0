// What a page reads from the API, with the states ListState shows: loading the first time, the
// error of the last load, and quiet reloads (polling, after a change) that keep what is shown
// and report a failure beside it instead of blanking the list. Answers arriving out of order
// are dropped: the newest request wins.
import { untrack } from 'svelte';
import { messageOf } from './api';

export class Loader<T> {
  value: T | null = $state(null);
  loading = $state(true);
  error: unknown = $state(null);
  /** Why the last quiet reload failed while older data stays on screen, or null. */
  refreshError: string | null = $state(null);
  private serial = 0;

  constructor(private readonly read: () => Promise<T>) {}

  /** Reads again; called from an $effect, it does not make the effect depend on what it shows. */
  load(quiet = false): Promise<void> {
    return untrack(() => this.run(quiet));
  }

  private async run(quiet: boolean): Promise<void> {
    const mine = ++this.serial;
    if (!quiet || this.value === null) this.loading = true;
    try {
      const value = await this.read();
      if (mine !== this.serial) return;
      this.value = value;
      this.error = null;
      this.refreshError = null;
    } catch (e) {
      if (mine !== this.serial) return;
      if (quiet && this.value !== null) {
        this.refreshError = messageOf(e);
      } else {
        this.error = e;
      }
    } finally {
      if (mine === this.serial) this.loading = false;
    }
  }
}
