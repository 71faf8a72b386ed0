// The audit log page's filters, kept in the address (/audit?project=team&type=...) so that a
// project's page can link to its entries, and the event types auth records (libs/events
// EventType, docs/events.md).

export interface AuditEntry {
  id: string;
  type: string;
  time: string;
  project: string | null;
  user: string | null;
  clientIp: string | null;
  subject: string | null;
  data: Record<string, unknown> | null;
}

export interface AuditFilters {
  project: string;
  user: string;
  type: string;
  /** ISO-8601 instants, as the API takes them; '' for no bound. */
  from: string;
  to: string;
  page: number;
}

export const AUDIT_PAGE_SIZE = 25;

/** Every event type the audit log holds (EventType's wire forms), with a label. */
export const EVENT_TYPES: { type: string; label: string }[] = [
  ['project.created', 'Project created'], ['project.updated', 'Project updated'], ['project.deleted', 'Project deleted'],
  ['member.created', 'Member added'], ['member.updated', 'Member role changed'], ['member.deleted', 'Member removed'],
  ['robot.created', 'Robot created'], ['robot.updated', 'Robot changed'], ['robot.deleted', 'Robot deleted'],
  ['cli_secret.created', 'CLI secret created'], ['cli_secret.deleted', 'CLI secret revoked'],
  ['artifact.pushed', 'Artifact pushed'], ['artifact.pulled', 'Artifact pulled'], ['artifact.deleted', 'Artifact deleted'],
  ['tag.deleted', 'Tag deleted'], ['project.quota.warning', 'Quota warning'], ['project.quota.exceeded', 'Quota exceeded'],
  ['scan.completed', 'Scan completed'], ['scan.failed', 'Scan failed'], ['auth.login_failed', 'Login failed'],
  ['signing_key.rotated', 'Signing key rotated'], ['system_settings.updated', 'System settings changed'],
].map(([short, label]) => ({ type: `io.berth.${short}.v1`, label }));

/** "Member added" for io.berth.member.created.v1; the type itself for one this console does not know. */
export function eventLabel(type: string): string {
  return EVENT_TYPES.find((t) => t.type === type)?.label ?? type;
}

export function filtersOf(search: string): AuditFilters {
  const q = new URLSearchParams(search);
  const page = Number(q.get('page'));
  return {
    project: q.get('project') ?? '', user: q.get('user') ?? '', type: q.get('type') ?? '',
    from: q.get('from') ?? '', to: q.get('to') ?? '',
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
}

/** The address of the audit log with these filters (empty ones and page 1 left out). */
export function auditPath(f: Partial<AuditFilters>): string {
  const q = new URLSearchParams();
  for (const key of ['project', 'user', 'type', 'from', 'to'] as const) {
    const v = f[key]?.trim();
    if (v) q.set(key, v);
  }
  if (f.page && f.page > 1) q.set('page', String(f.page));
  const text = q.toString();
  return text ? `/audit?${text}` : '/audit';
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** An ISO instant as a datetime-local input's value (the browser's time zone); '' for none or nonsense. */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  if (!iso || Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A datetime-local input's value (the browser's time zone) as an ISO instant; '' for none. */
export function fromLocalInput(local: string): string {
  const d = new Date(local);
  return !local || Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

/**
 * The entry's data in one line: its fields but the ones shown in their own columns, by name
 * (PostgreSQL's jsonb keeps no order of its own).
 */
export function details(entry: AuditEntry): string {
  if (!entry.data) return '';
  return Object.entries(entry.data)
    .filter(([k]) => !['project', 'actor', 'clientIp', 'address'].includes(k))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');
}
