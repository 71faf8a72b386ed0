// How the console writes sizes, times and digests.

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function bytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n) || n < 0) {
    return '—';
  }
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value < 10 ? value.toFixed(1) : Math.round(value)} ${UNITS[unit]}`;
}

/** "sha256:0123456789ab" from a full digest: the algorithm and 12 hex characters, as docker shows ids. */
export function shortDigest(digest: string | null | undefined): string {
  if (!digest) {
    return '—';
  }
  const colon = digest.indexOf(':');
  return colon < 0 ? digest.slice(0, 12) : digest.slice(0, colon + 1 + 12);
}

export function dateTime(iso: string | null | undefined): string {
  if (!iso) {
    return '—';
  }
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '—' : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** "3 minutes ago", for the last push or pull. */
export function ago(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) {
    return 'never';
  }
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) {
    return '—';
  }
  const seconds = Math.round((now - then) / 1000);
  if (seconds < 45) {
    return 'just now';
  }
  const steps: [number, string][] = [[60, 'minute'], [3600, 'hour'], [86400, 'day'], [2592000, 'month'], [31536000, 'year']];
  let chosen = steps[0];
  for (const step of steps) {
    if (seconds >= step[0]) {
      chosen = step;
    }
  }
  const count = Math.max(1, Math.round(seconds / chosen[0]));
  return `${count} ${chosen[1]}${count === 1 ? '' : 's'} ago`;
}

/** The percentage of a quota used, 0–100, or null without a limit. */
export function percentUsed(used: number, limit: number | null | undefined): number | null {
  if (limit === null || limit === undefined || limit < 0) {
    return null;
  }
  if (limit === 0) {
    return used > 0 ? 100 : 0;
  }
  return Math.min(100, Math.round((used / limit) * 1000) / 10);
}

/** A reference to pull: host/repository:tag, or @digest without a tag. */
export function pullReference(host: string, repository: string, tag: string | null, digest: string): string {
  return tag ? `${host}/${repository}:${tag}` : `${host}/${repository}@${digest}`;
}
