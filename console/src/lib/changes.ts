// The same two steps after many buttons: change something through the API, then read the list
// again quietly (what is shown stays until the new answer; a failure is said beside it).
import { api } from './app.svelte';
import type { Loader } from './loader.svelte';

/** Deletes what `path` names, then reads `list` again. A refusal is thrown (ConfirmDialog shows it). */
export async function deleteAndReload(path: string, list: Loader<unknown>): Promise<void> {
  await api.delete(path);
  await list.load(true);
}
