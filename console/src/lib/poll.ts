// Polling for the pages that show work in progress (gc runs, retention and replication
// executions): a tick every few seconds, never two at once, stopped by the function it returns,
// which a Svelte $effect returns as its cleanup so that leaving the page stops it.

/** How often a page asks again while something it shows is running. */
export const POLL_MS = 2500;

export function poll(tick: () => Promise<unknown> | unknown, ms: number = POLL_MS): () => void {
  let busy = false;
  let stopped = false;
  const timer = setInterval(async () => {
    if (busy || stopped) return;
    busy = true;
    try {
      await tick();
    } catch {
      // The tick shows its own error (Loader.refreshError); the next tick tries again.
    } finally {
      busy = false;
    }
  }, ms);
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
