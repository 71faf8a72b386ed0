// A project's settings as auth stores them (docs/security.md "Project settings"): the quota in
// bytes (-1: none), immutable tag rules, the vulnerability policy; and the project's scanner
// (scanner-bridge, docs/scanners.md).

export interface TagRule {
  repositories: string;
  tags: string;
}

export interface AllowlistEntry {
  id: string;
  /** ISO-8601 instant, or null for never. */
  expiresAt: string | null;
}

export type Severity = 'low' | 'medium' | 'high' | 'critical';
export const SEVERITIES: Severity[] = ['low', 'medium', 'high', 'critical'];

export interface VulnerabilityPolicy {
  scanOnPush: boolean;
  preventPull: boolean;
  severity: Severity;
  allowlist: AllowlistEntry[];
  unscanned: 'allow' | 'deny';
}

/** The most rules a project holds (auth's ProjectService.MAX_TAG_RULES). */
export const MAX_TAG_RULES = 15;

/** The policy as the API wrote it, with the defaults the API applies to fields left out; plain-string allowlist entries read as never expiring. */
export function policyOf(raw: Record<string, unknown> | null | undefined): VulnerabilityPolicy {
  const r = raw ?? {};
  const severity = String(r.severity ?? 'high').toLowerCase() as Severity;
  const list = Array.isArray(r.allowlist) ? r.allowlist : [];
  return {
    scanOnPush: r.scanOnPush === true,
    preventPull: r.preventPull === true,
    severity: SEVERITIES.includes(severity) ? severity : 'high',
    unscanned: r.unscanned === 'deny' ? 'deny' : 'allow',
    allowlist: list.map((e) => (typeof e === 'string'
      ? { id: e, expiresAt: null }
      : { id: String((e as AllowlistEntry).id), expiresAt: (e as AllowlistEntry).expiresAt ?? null })),
  };
}

/** Tag rules as the API wrote them (older servers may have sent plain strings: read as a tag glob for every repository). */
export function rulesOf(raw: unknown): TagRule[] {
  return Array.isArray(raw)
    ? raw.map((r) => (typeof r === 'string' ? { repositories: '**', tags: r } : { repositories: String(r.repositories), tags: String(r.tags) }))
    : [];
}

/** Glob characters auth accepts (io.berth.security.policy.Glob), 1 to 255 of them. */
const GLOB = /^[A-Za-z0-9._\-/*?{},]{1,255}$/;

export function globProblem(what: string, glob: string): string | null {
  return GLOB.test(glob) ? null : `${what} is a glob of 1 to 255 of A-Z a-z 0-9 . _ - / * ? { } ,`;
}

export const QUOTA_UNITS = [
  { label: 'MiB', factor: 1024 ** 2 },
  { label: 'GiB', factor: 1024 ** 3 },
  { label: 'TiB', factor: 1024 ** 4 },
] as const;
export type QuotaUnit = (typeof QUOTA_UNITS)[number]['label'];

/** A quota in bytes as a number and the largest unit that writes it whole (or to one decimal in GiB); -1: none. */
export function quotaInput(bytes: number): { value: string; unit: QuotaUnit; none: boolean } {
  if (bytes < 0) return { value: '', unit: 'GiB', none: true };
  for (const unit of [...QUOTA_UNITS].reverse()) {
    if (bytes >= unit.factor && bytes % unit.factor === 0) return { value: String(bytes / unit.factor), unit: unit.label, none: false };
  }
  const mib = bytes / 1024 ** 2;
  return { value: String(Math.round(mib * 100) / 100), unit: 'MiB', none: false };
}

/** The bytes of a quota typed in, or an error: a number of at least 0 (fractions allowed) in a unit. */
export function quotaBytes(value: string | number | null, unit: QuotaUnit, none: boolean): { bytes: number } | { error: string } {
  if (none) return { bytes: -1 };
  // A number input bound in Svelte gives a number, or null when empty.
  const text = value === null || value === undefined ? '' : String(value).trim();
  const n = Number(text);
  if (!text || !Number.isFinite(n) || n < 0) return { error: 'A quota is a number of at least 0.' };
  const factor = QUOTA_UNITS.find((u) => u.label === unit)!.factor;
  return { bytes: Math.round(n * factor) };
}

/** An allowlist expiry typed as a date (yyyy-mm-dd): through that day, UTC, as auth reads a date alone. */
export function expiryOf(date: string): string | null {
  return date ? `${date}T23:59:59Z` : null;
}

export function allowlistProblem(entries: AllowlistEntry[], id: string): string | null {
  const trimmed = id.trim();
  if (!trimmed) return 'Give a vulnerability id, e.g. CVE-2024-3094.';
  if (entries.some((e) => e.id.toLowerCase() === trimmed.toLowerCase())) return `${trimmed} is in the allowlist already.`;
  return null;
}

export interface ScannerView {
  name: string;
  kind: string;
  disabled: boolean;
  default: boolean;
  description: string | null;
}

/** GET /api/v1/projects/{p}/scanner. */
export interface ProjectScanner {
  project: string;
  scanner: ScannerView | null;
  inherited: boolean;
}
