import { describe, expect, it } from 'vitest';
import { pageSegment, resolve, route } from '../src/lib/router';

const routes = [
  route('/projects', 'list'),
  route('/projects/:project/repositories/*repo/artifacts/:digest', 'artifact'),
  route('/projects/:project/repositories/*repo', 'repository'),
  route('/projects/:project', 'project'),
  route('/projects/:project/:tab', 'project'),
];

describe('routes', () => {
  it('match repository names with slashes, and an artifact under them', () => {
    expect(resolve(routes, '/projects/team/repositories/app/web')).toMatchObject({
      route: { view: 'repository' }, params: { project: 'team', repo: 'app/web' } });
    expect(resolve(routes, '/projects/team/repositories/app/web/artifacts/sha256%3Aab')).toMatchObject({
      route: { view: 'artifact' }, params: { project: 'team', repo: 'app/web', digest: 'sha256:ab' } });
  });
  it('match tabs, a trailing slash, and nothing else', () => {
    expect(resolve(routes, '/projects/team/members')?.params).toEqual({ project: 'team', tab: 'members' });
    expect(resolve(routes, '/projects/')?.route.view).toBe('list');
    expect(resolve(routes, '/projectsx')).toBeNull();
    expect(resolve(routes, '/projects/a/b/c')).toBeNull();
  });
  it('give no page for a malformed escape', () => {
    expect(resolve(routes, '/projects/%E0%A4%A')).toBeNull();
  });
  it('escape literal characters of a pattern', () => {
    expect(resolve([route('/a.b', 'x')], '/aXb')).toBeNull();
    expect(resolve([route('/a.b', 'x')], '/a.b')?.route.view).toBe('x');
  });
});

describe('page addresses', () => {
  it('keep a digest readable and escape what a path cannot hold', () => {
    expect(pageSegment('sha256:ab12')).toBe('sha256:ab12');
    expect(pageSegment('a/b c%')).toBe('a%2Fb%20c%25');
    expect(resolve(routes, `/projects/p/repositories/app/artifacts/${pageSegment('sha256:ab12')}`)?.params.digest)
      .toBe('sha256:ab12');
  });
});
