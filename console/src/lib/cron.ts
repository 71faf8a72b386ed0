// Cron expressions as berth's services take them (libs cron: five fields, minute hour day month
// weekday, or six with seconds first as Harbor writes them; UTC). The console checks only the
// shape before sending; the service checks the rest and its message is shown as it is.

/** Null if `text` may be sent (blank means "no schedule"), else what is wrong with it. */
export function cronProblem(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const fields = trimmed.split(/\s+/).length;
  if (fields !== 5 && fields !== 6) {
    return `A cron expression has 5 fields (minute hour day month weekday) or 6 (seconds first), not ${fields}`;
  }
  return null;
}

/** The expression to send: null for none. */
export function cronValue(text: string): string | null {
  const trimmed = text.trim().replace(/\s+/g, ' ');
  return trimmed === '' ? null : trimmed;
}

/** Common schedules to start from, in words. */
export const CRON_EXAMPLES: { cron: string; label: string }[] = [
  { cron: '0 3 * * *', label: 'every day at 03:00 UTC' },
  { cron: '0 3 * * 0', label: 'every Sunday at 03:00 UTC' },
  { cron: '0 * * * *', label: 'every hour' },
];

/** "every day at 03:00 UTC" for the examples above, else the expression itself. */
export function cronWords(cron: string | null | undefined): string {
  if (!cron) return 'no schedule';
  const known = CRON_EXAMPLES.find((e) => e.cron === cron);
  return known ? `${known.label} (${cron})` : `cron ${cron} (UTC)`;
}

/** A whole number typed in a field: the number, null for blank, or NaN for anything else. */
export function wholeNumber(text: string | number | null | undefined): number | null {
  if (text === null || text === undefined) return null;
  const trimmed = String(text).trim();
  if (trimmed === '') return null;
  return /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}
