import { describe, expect, it } from 'vitest';
import {
  cliLoginCommand, expired, filterByName, mayReadProjectAudit, pageOf, projectNameProblem, robotLoginCommand,
  robotNameProblem, robotShortName, shellQuote, sortMembers, visibleTabs,
} from '../src/lib/projects';

describe('project names', () => {
  it('takes what auth takes', () => {
    for (const ok of ['team', 'a1', 'my-team', 'my--team', 'my_team', 'my__team', 'a.b']) {
      expect(projectNameProblem(ok), ok).toBeNull();
    }
  });
  it('refuses what auth refuses, saying why', () => {
    for (const bad of ['', 'Team', 'a/b', '-a', 'a-', 'a..b', 'a___b', 'a b', 'x'.repeat(256)]) {
      expect(projectNameProblem(bad), bad).not.toBeNull();
    }
    expect(projectNameProblem('Team')).toContain('lowercase');
  });
  it('checks robot names as RobotService does', () => {
    expect(robotNameProblem('ci-push')).toBeNull();
    expect(robotNameProblem('ci__x')).not.toBeNull();
    expect(robotNameProblem('x'.repeat(65))).toContain('64');
  });
});

describe('the project list', () => {
  const items = Array.from({ length: 45 }, (_, i) => ({ name: `p${i}` }));
  it('filters by name in any case', () => {
    expect(filterByName([{ name: 'Alpha' }, { name: 'beta' }], 'ALP')).toEqual([{ name: 'Alpha' }]);
    expect(filterByName(items, '  ')).toHaveLength(45);
  });
  it('pages 20 at a time', () => {
    expect(pageOf(items, 1, 20).map((p) => p.name)[0]).toBe('p0');
    expect(pageOf(items, 3, 20)).toHaveLength(5);
  });
});

describe('tabs a role may use', () => {
  it('gives system administrators every tab', () => {
    expect(visibleTabs(true, null)).toEqual(['repositories', 'members', 'robots', 'settings', 'retention']);
  });
  it('gives guests reading tabs only, and limited guests and visitors of a public project only repositories', () => {
    expect(visibleTabs(false, 'guest')).toEqual(['repositories', 'members', 'settings']);
    expect(visibleTabs(false, 'developer')).toEqual(['repositories', 'members', 'settings']);
    expect(visibleTabs(false, 'limitedGuest')).toEqual(['repositories']);
    expect(visibleTabs(false, null)).toEqual(['repositories']);
    expect(visibleTabs(false, 'projectAdmin')).toContain('robots');
  });
  it('lets only projectAdmins and administrators read a project audit log', () => {
    expect(mayReadProjectAudit(false, 'maintainer')).toBe(false);
    expect(mayReadProjectAudit(false, 'projectAdmin')).toBe(true);
    expect(mayReadProjectAudit(true, null)).toBe(true);
  });
});

describe('members and robots', () => {
  it('sorts users before groups, by name', () => {
    const sorted = sortMembers([{ group: 'ops', role: 'guest' }, { username: 'bob', role: 'guest' }, { username: 'al', role: 'developer' }]);
    expect(sorted.map((m) => m.username ?? m.group)).toEqual(['al', 'bob', 'ops']);
  });
  it('shortens a robot name to what the project API takes', () => {
    expect(robotShortName('robot$team+ci', 'team')).toBe('ci');
    expect(robotShortName('robot$other+ci', 'team')).toBe('robot$other+ci');
  });
  it('knows an expired robot', () => {
    const now = Date.parse('2026-12-05T00:00:00Z');
    expect(expired({ name: 'r', permissions: {}, disabled: false, createdAt: '', expiresAt: '2026-12-04T00:00:00Z' }, now)).toBe(true);
    expect(expired({ name: 'r', permissions: {}, disabled: false, createdAt: '', expiresAt: null }, now)).toBe(false);
  });
  it('quotes for the shell', () => {
    expect(shellQuote('alice')).toBe('alice');
    expect(shellQuote('robot$team+ci')).toBe(`'robot$team+ci'`);
    expect(shellQuote(`it's`)).toBe(`'it'\\''s'`);
    expect(robotLoginCommand('robot$team+ci', 'registry.example:5000')).toBe(`docker login -u 'robot$team+ci' registry.example:5000`);
    expect(cliLoginCommand('alice', 'berthcli_abc', 'r.example')).toBe(`printf '%s' berthcli_abc | docker login -u alice --password-stdin r.example`);
  });
});
