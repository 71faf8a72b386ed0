// What a page loads from the API, with the loading and error states ListState shows: one place
// for the try/catch every list would otherwise repeat.
import { ApiError } from './api';

export class Loaded<T> {
  value: T = $state() as T;
  loading = $state(true);
  error: unknown = $state(null);

  constructor(private readonly read: () => Promise<T>, initial: T) {
    this.value = initial;
  }

  /** Reads again; a failure is kept in `error` (and the last value stays). */
  load = async (): Promise<void> => {
    this.loading = true;
    this.error = null;
    try {
      this.value = await this.read();
    } catch (e) {
      this.error = e;
    } finally {
      this.loading = false;
    }
  };
}

/** The words of an error to show in place: the API's message, or the exception's. */
export function errorText(e: unknown): string {
  return e instanceof ApiError || e instanceof Error ? e.message : String(e);
}
