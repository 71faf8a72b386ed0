import { describe, expect, it } from 'vitest';
import { allowlistProblem, expiryOf, globProblem, policyOf, quotaBytes, quotaInput, rulesOf } from '../src/lib/settings';

describe('project settings', () => {
  it('reads a policy with the API defaults and old plain-string allowlists', () => {
    expect(policyOf(null)).toEqual({ scanOnPush: false, preventPull: false, severity: 'high', unscanned: 'allow', allowlist: [] });
    expect(policyOf({ preventPull: true, severity: 'CRITICAL', allowlist: ['CVE-1', { id: 'CVE-2', expiresAt: '2026-01-01T00:00:00Z' }] }))
      .toEqual({ scanOnPush: false, preventPull: true, severity: 'critical', unscanned: 'allow',
        allowlist: [{ id: 'CVE-1', expiresAt: null }, { id: 'CVE-2', expiresAt: '2026-01-01T00:00:00Z' }] });
  });
  it('reads tag rules', () => {
    expect(rulesOf([{ repositories: 'app/**', tags: 'v*' }])).toEqual([{ repositories: 'app/**', tags: 'v*' }]);
    expect(rulesOf(null)).toEqual([]);
  });
  it('checks globs as auth does', () => {
    expect(globProblem('tags', 'v{1,2}.*')).toBeNull();
    expect(globProblem('tags', '')).not.toBeNull();
    expect(globProblem('tags', 'a b')).toContain('tags');
  });
  it('turns a quota into a number and a unit and back', () => {
    expect(quotaInput(-1)).toEqual({ value: '', unit: 'GiB', none: true });
    expect(quotaInput(10 * 1024 ** 3)).toEqual({ value: '10', unit: 'GiB', none: false });
    expect(quotaInput(2 * 1024 ** 4)).toEqual({ value: '2', unit: 'TiB', none: false });
    expect(quotaInput(1536 * 1024)).toEqual({ value: '1.5', unit: 'MiB', none: false });
    expect(quotaBytes('1.5', 'GiB', false)).toEqual({ bytes: 1610612736 });
    expect(quotaBytes('', 'GiB', true)).toEqual({ bytes: -1 });
    expect(quotaBytes('-3', 'MiB', false)).toHaveProperty('error');
    expect(quotaBytes('lots', 'MiB', false)).toHaveProperty('error');
    expect(quotaBytes(2, 'MiB', false)).toEqual({ bytes: 2 * 1024 * 1024 });
    expect(quotaBytes(null, 'MiB', false)).toHaveProperty('error');
  });
  it('checks allowlist entries and their expiry', () => {
    expect(allowlistProblem([{ id: 'CVE-2024-3094', expiresAt: null }], 'cve-2024-3094')).toContain('already');
    expect(allowlistProblem([], ' ')).not.toBeNull();
    expect(allowlistProblem([], 'GHSA-x')).toBeNull();
    expect(expiryOf('2026-06-30')).toBe('2026-06-30T23:59:59Z');
    expect(expiryOf('')).toBeNull();
  });
});
