// Garbage collection as gc's API shows it (docs/openapi/gc.json, GcResource): runs, their
// options, and the schedule; and the console's checks of the options form.
import { wholeNumber } from './cron';

export interface GcRun {
  id: number;
  trigger: 'manual' | 'schedule' | 'event';
  status: 'running' | 'succeeded' | 'failed' | 'stopped';
  dryRun: boolean;
  deleteUntagged: boolean;
  graceSeconds: number;
  orphans: boolean;
  requestedBy: string | null;
  startedAt: string | null;
  endedAt: string | null;
  manifestsDeleted: number;
  linksDeleted: number;
  blobsDeleted: number;
  objectsDeleted: number;
  bytesFreed: number;
  error: string | null;
}

export interface GcSchedule {
  cron: string | null;
  dryRun: boolean;
  deleteUntagged: boolean;
  graceSeconds: number;
  orphans: boolean;
  nextRunAt: string | null;
  updatedAt: string | null;
  updatedBy: string | null;
}

/** The options of a run or of the schedule, as the form holds them (grace in hours, as text). */
export interface GcOptionsForm {
  dryRun: boolean;
  deleteUntagged: boolean;
  orphans: boolean;
  graceHours: string;
}

export interface GcOptions {
  dryRun: boolean;
  deleteUntagged: boolean;
  orphans: boolean;
  /** Absent: gc's configured default. */
  graceSeconds?: number;
}

/** gc's limit on the grace window (GcRequests.MAX_GRACE_SECONDS): ten years. */
export const MAX_GRACE_HOURS = 10 * 366 * 24;

/** The body for POST /system/gc or the options of PUT /system/gc/schedule, or what is wrong with the form. */
export function gcOptions(form: GcOptionsForm): { options?: GcOptions; error?: string } {
  const hours = wholeNumber(form.graceHours);
  if (Number.isNaN(hours) || (hours !== null && hours > MAX_GRACE_HOURS)) {
    return { error: `The grace period is a whole number of hours from 0 to ${MAX_GRACE_HOURS}, or empty for the default` };
  }
  const options: GcOptions = { dryRun: form.dryRun, deleteUntagged: form.deleteUntagged, orphans: form.orphans };
  if (hours !== null) options.graceSeconds = hours * 3600;
  return { options };
}

/** "24 h" for a grace window; minutes or seconds when it is not whole hours. */
export function graceText(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/** What a run does, in a few words: "dry run, untagged too". */
export function runKind(run: Pick<GcRun, 'dryRun' | 'deleteUntagged' | 'orphans'>): string {
  const parts = [run.dryRun ? 'dry run' : 'deletes'];
  if (run.deleteUntagged) parts.push('untagged manifests');
  if (run.orphans) parts.push('orphan scan');
  return parts.join(', ');
}
