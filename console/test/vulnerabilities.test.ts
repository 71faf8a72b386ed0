import { describe, expect, it } from 'vitest';
import {
  SEVERITIES, advisoryLink, countBySeverity, filterVulnerabilities, packageName, severityOf, type Vulnerability,
} from '../src/lib/vulnerabilities';

const report: Vulnerability[] = [
  { id: 'CVE-2023-45853', aliases: ['DEBIAN-CVE-2023-45853'], package: 'zlib', severity: 'CRITICAL' },
  { id: 'GHSA-xxxx-yyyy', aliases: ['CVE-2024-0001'], package: { name: 'openssl' }, severity: 'High' },
  { id: 'CVE-2022-1111', package: 'busybox', severity: 'medium' },
  { id: 'CVE-2021-2222', package: 'musl', severity: 'negligible' },
];
const all = new Set(SEVERITIES);

describe('the vulnerability report', () => {
  it('reads severities in any case; words berth does not rate are unknown', () => {
    expect(report.map(severityOf)).toEqual(['critical', 'high', 'medium', 'unknown']);
    expect(severityOf({ severity: null })).toBe('unknown');
  });

  it('reads the package as a name or an object', () => {
    expect(packageName(report[1])).toBe('openssl');
    expect(packageName({ package: null })).toBe('');
  });

  it('filters by the severities checked', () => {
    const ids = (list: Vulnerability[]) => list.map((v) => v.id);
    expect(ids(filterVulnerabilities(report, { severities: new Set(['critical', 'high'] as const), q: '' })))
      .toEqual(['CVE-2023-45853', 'GHSA-xxxx-yyyy']);
    expect(filterVulnerabilities(report, { severities: new Set(), q: '' })).toEqual([]);
    expect(filterVulnerabilities(report, { severities: all, q: '' })).toHaveLength(4);
  });

  it('searches ids, aliases and packages, ignoring case', () => {
    const ids = (q: string) => filterVulnerabilities(report, { severities: all, q }).map((v) => v.id);
    expect(ids('cve-2024')).toEqual(['GHSA-xxxx-yyyy']);
    expect(ids('OpenSSL')).toEqual(['GHSA-xxxx-yyyy']);
    expect(ids('  zlib ')).toEqual(['CVE-2023-45853']);
    expect(ids('nothing')).toEqual([]);
    expect(filterVulnerabilities(report, { severities: new Set(['low'] as const), q: 'zlib' })).toEqual([]);
  });

  it('counts by severity', () => {
    expect(countBySeverity(report)).toEqual({ critical: 1, high: 1, medium: 1, low: 0, unknown: 1 });
  });

  it('links only to http(s) advisories', () => {
    expect(advisoryLink({ links: ['javascript:alert(1)', 'https://nvd.nist.gov/vuln/detail/CVE-1'] }))
      .toBe('https://nvd.nist.gov/vuln/detail/CVE-1');
    expect(advisoryLink({ links: ['data:text/html,x'] })).toBeNull();
    expect(advisoryLink({})).toBeNull();
  });
});
