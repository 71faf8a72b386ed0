import { describe, expect, it } from 'vitest';
import { ago, bytes, percentUsed, pullReference, shortDigest } from '../src/lib/format';
import { abilities } from '../src/lib/roles';

describe('format', () => {
  it('writes sizes in binary units', () => {
    expect(bytes(0)).toBe('0 B');
    expect(bytes(1023)).toBe('1023 B');
    expect(bytes(1536)).toBe('1.5 KiB');
    expect(bytes(50 * 1024 * 1024)).toBe('50 MiB');
    expect(bytes(-1)).toBe('—');
    expect(bytes(null)).toBe('—');
  });
  it('shortens digests like docker', () => {
    expect(shortDigest('sha256:' + 'a'.repeat(64))).toBe('sha256:aaaaaaaaaaaa');
    expect(shortDigest(null)).toBe('—');
  });
  it('says how long ago', () => {
    const now = Date.parse('2026-12-05T12:00:00Z');
    expect(ago('2026-12-05T11:59:50Z', now)).toBe('just now');
    expect(ago('2026-12-05T11:57:00Z', now)).toBe('3 minutes ago');
    expect(ago('2026-12-04T12:00:00Z', now)).toBe('1 day ago');
    expect(ago(null, now)).toBe('never');
  });
  it('computes quota use', () => {
    expect(percentUsed(50, 200)).toBe(25);
    expect(percentUsed(500, 200)).toBe(100);
    expect(percentUsed(5, -1)).toBeNull();
    expect(percentUsed(0, 0)).toBe(0);
  });
  it('writes pull references by tag or digest', () => {
    expect(pullReference('r.example:5443', 'lib/hello', '1.0', 'sha256:x')).toBe('r.example:5443/lib/hello:1.0');
    expect(pullReference('r.example', 'lib/hello', null, 'sha256:x')).toBe('r.example/lib/hello@sha256:x');
  });
});

describe('roles', () => {
  const user = { username: 'u', admin: false };
  it('follow docs/security.md', () => {
    expect(abilities(user, 'guest', false)).toEqual({ pull: true, push: false, delete: false, read: true, manage: false });
    expect(abilities(user, 'developer', false)).toMatchObject({ push: true, delete: false, manage: false });
    expect(abilities(user, 'maintainer', false)).toMatchObject({ delete: true, manage: false });
    expect(abilities(user, 'projectAdmin', false)).toMatchObject({ delete: true, manage: true });
    expect(abilities(user, 'limitedGuest', false)).toMatchObject({ pull: true, read: false });
    expect(abilities(user, null, false)).toEqual({ pull: false, push: false, delete: false, read: false, manage: false });
    expect(abilities(user, null, true)).toMatchObject({ pull: true, read: true, push: false });
    expect(abilities({ username: 'a', admin: true }, null, false).manage).toBe(true);
  });
});
