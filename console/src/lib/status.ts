// The words the services use for where a run stands, as one of four looks: done well, failed,
// still going, or ended some other way (stopped by someone).

export type Tone = 'ok' | 'bad' | 'busy' | 'neutral';

const TONES: Record<string, Tone> = {
  succeeded: 'ok', success: 'ok', ok: 'ok',
  failed: 'bad', error: 'bad',
  running: 'busy', pending: 'busy', queued: 'busy', in_progress: 'busy',
  stopped: 'neutral',
};

export function tone(status: string | null | undefined): Tone {
  return (status && TONES[status]) || 'neutral';
}

/** Whether a run in this status may still change (and a page should poll it). */
export function inProgress(status: string | null | undefined): boolean {
  return tone(status) === 'busy';
}

/** "1 min 5 s" between two instants, or since `start` while it runs; "—" without a start. */
export function duration(start: string | null | undefined, end: string | null | undefined, now: number = Date.now()): string {
  if (!start) return '—';
  const from = Date.parse(start);
  const to = end ? Date.parse(end) : now;
  if (Number.isNaN(from) || Number.isNaN(to)) return '—';
  let seconds = Math.max(0, Math.round((to - from) / 1000));
  const hours = Math.floor(seconds / 3600);
  seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60);
  seconds -= minutes * 60;
  if (hours > 0) return `${hours} h ${minutes} min`;
  if (minutes > 0) return `${minutes} min ${seconds} s`;
  return `${seconds} s`;
}
