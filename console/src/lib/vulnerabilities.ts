// scanner-bridge's vulnerability report (docs/scanning-api.md: GET .../vulnerabilities) and the
// artifact page's filters of it: by severity and by a part of an id, alias or package name.

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'unknown'] as const;
export type SeverityName = (typeof SEVERITIES)[number];

export interface Vulnerability {
  id: string;
  aliases?: string[] | null;
  /** A name, or an object with a name, as the scanner wrote it. */
  package?: string | { name?: string } | null;
  ecosystem?: string | null;
  purl?: string | null;
  installedVersion?: string | null;
  fixedVersion?: string | null;
  severity?: string | null;
  cvssScore?: number | null;
  summary?: string | null;
  links?: string[] | null;
}

export interface VulnerabilityReport {
  project: string;
  repository: string;
  digest: string;
  scanner: string;
  status: 'success' | 'error' | string;
  generatedAt: string | null;
  database: { importId: number | string; importedAt: string | null; source: string | null } | null;
  summary: Record<string, number> | null;
  error: string | null;
  sbomDigest: string | null;
  vulnerabilities: Vulnerability[];
}

/** The severity of a finding, lower case; a word berth does not rate is unknown (as scanner-bridge's ReportFilter). */
export function severityOf(v: Pick<Vulnerability, 'severity'>): SeverityName {
  const word = (v.severity ?? '').trim().toLowerCase();
  return (SEVERITIES as readonly string[]).includes(word) ? (word as SeverityName) : 'unknown';
}

export function packageName(v: Pick<Vulnerability, 'package'>): string {
  const p = v.package;
  return typeof p === 'string' ? p : p?.name ?? '';
}

export interface VulnerabilityFilter {
  /** The severities shown; all of them when empty is not what a person means, so empty shows none. */
  severities: ReadonlySet<SeverityName>;
  /** A part of the id, an alias or the package name; blank for everything. */
  q: string;
}

/** The findings that pass the filter, in the report's order (highest severity first, as served). */
export function filterVulnerabilities(list: Vulnerability[], filter: VulnerabilityFilter): Vulnerability[] {
  const q = filter.q.trim().toLowerCase();
  return list.filter((v) => {
    if (!filter.severities.has(severityOf(v))) return false;
    if (!q) return true;
    const texts = [v.id ?? '', packageName(v), ...(v.aliases ?? [])];
    return texts.some((t) => t.toLowerCase().includes(q));
  });
}

/** How many findings of each severity a list holds, for the filter's labels. */
export function countBySeverity(list: Vulnerability[]): Record<SeverityName, number> {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<SeverityName, number>;
  for (const v of list) counts[severityOf(v)]++;
  return counts;
}

/** The first http(s) link of a finding, to link its id to; never a javascript: or data: URL. */
export function advisoryLink(v: Pick<Vulnerability, 'links'>): string | null {
  return (v.links ?? []).find((l) => /^https?:\/\//i.test(l)) ?? null;
}
