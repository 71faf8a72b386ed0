import { describe, expect, it } from 'vitest';
import {
  canRetry, canStop, endpointBody, filtersText, newEndpointForm, newPolicyForm, patternList, pingText, policyBody,
  policyFormOf, tabOf, type Endpoint, type Policy,
} from '../src/lib/replication';
import { scannerBody, sortScanners, newScannerForm, type Scanner } from '../src/lib/scanners';

const stored: Endpoint = {
  id: 7, name: 'dc2', type: 'berth', url: 'https://dc2.example.com', insecure: false,
  credential: { type: 'basic', username: 'robot$sync', passwordSet: true }, description: null,
  createdBy: 'admin', createdAt: '', updatedBy: 'admin', updatedAt: '',
};

describe('endpoint forms', () => {
  it('sends a new endpoint with its credentials', () => {
    const form = { ...newEndpointForm(), name: 'dc2', url: 'http://127.0.0.1:5000', username: 'admin', password: 'pw' };
    expect(endpointBody(form).body).toEqual({
      name: 'dc2', type: 'berth', url: 'http://127.0.0.1:5000', insecure: false, description: null,
      credential: { type: 'basic', username: 'admin', password: 'pw' },
    });
  });
  it('keeps the stored password when an edit leaves it blank, and asks for one with a new user name', () => {
    const form = { ...newEndpointForm(), name: 'dc2', url: stored.url, username: 'robot$sync' };
    expect(endpointBody(form, stored).body!.credential).toEqual({ type: 'basic', username: 'robot$sync' });
    expect(endpointBody({ ...form, username: 'someone' }, stored).error).toMatch(/password is needed/);
    expect(endpointBody(form).error).toMatch(/password is needed/);
  });
  it('sends anonymous access as credential none', () => {
    const form = { ...newEndpointForm(), name: 'hub', type: 'docker-hub' as const, anonymous: true };
    expect(endpointBody(form).body).toMatchObject({ credential: { type: 'none' } });
    expect(endpointBody(form).body).not.toHaveProperty('url');
  });
  it('refuses a bad name or URL before asking', () => {
    expect(endpointBody({ ...newEndpointForm(), name: 'DC 2', url: 'https://x' }).error).toMatch(/lower-case/);
    expect(endpointBody({ ...newEndpointForm(), name: 'dc2', url: 'ftp://x', anonymous: true }).error).toMatch(/http/);
    expect(endpointBody({ ...newEndpointForm(), name: 'dc2', url: '', anonymous: true }).error).toMatch(/URL is needed/);
  });
  it('says what a connection test found', () => {
    expect(pingText({ endpoint: 'dc2', url: 'https://x', ok: true, auth: 'bearer', apiVersion: 'registry/2.0', durationMs: 41 }))
      .toBe('dc2 answers at https://x: registry/2.0, bearer authentication, 41 ms.');
    expect(pingText({ endpoint: 'bad', url: 'http://127.0.0.1:1', ok: false, error: 'connection-refused', message: 'nothing listens', durationMs: 2 }))
      .toBe('bad at http://127.0.0.1:1 failed: connection-refused. nothing listens');
  });
});

describe('policy forms', () => {
  it('splits patterns on commas outside braces', () => {
    expect(patternList('myapp/**, team/{web,api} ,, base')).toEqual(['myapp/**', 'team/{web,api}', 'base']);
    expect(patternList('')).toEqual([]);
  });
  it('sends a manual push policy in berth\'s shape', () => {
    const form = { ...newPolicyForm(7), name: 'to-dc2', repositories: 'myapp/**', tagsExclude: '*-wip' };
    expect(policyBody(form).body).toEqual({
      name: 'to-dc2', description: null, enabled: true, direction: 'push', endpointId: 7,
      filters: { repositories: ['myapp/**'], tags: { include: [], exclude: ['*-wip'] }, untagged: false },
      destNamespace: null, trigger: { type: 'manual' }, overwrite: true, replicateDeletion: false, speedKib: 0,
    });
  });
  it('refuses what the replicator refuses', () => {
    expect(policyBody({ ...newPolicyForm(null), name: 'p' }).error).toMatch(/endpoint/);
    expect(policyBody({ ...newPolicyForm(7), name: 'p', direction: 'pull', trigger: 'event_based' }).error).toMatch(/no events/);
    expect(policyBody({ ...newPolicyForm(7), name: 'p', trigger: 'scheduled' }).error).toMatch(/cron/);
    expect(policyBody({ ...newPolicyForm(7), name: 'p', speedKib: 'fast' }).error).toMatch(/KiB/);
  });
  it('edits a stored policy and writes its filters in words', () => {
    const p = {
      id: 3, name: 'p', description: null, enabled: true, direction: 'push', endpoint: { id: 7, name: 'dc2', url: '' },
      filters: { repositories: ['a/**'], tags: { include: ['v*'], exclude: [] }, kinds: ['all'], platforms: [], untagged: false },
      destNamespace: null, flatten: 0, overwrite: true, replicateDeletion: false, trigger: { type: 'scheduled', cron: '0 3 * * *' },
      speedKib: 0, createdBy: null, updatedAt: '',
    } as Policy;
    expect(policyBody(policyFormOf(p)).body).toMatchObject({ trigger: { type: 'scheduled', cron: '0 3 * * *' }, endpointId: 7 });
    expect(filtersText(p.filters)).toBe('a/**; tags v*');
  });
});

describe('executions and tabs', () => {
  it('offers stop while running and retry when tasks failed', () => {
    expect(canStop({ status: 'running' })).toBe(true);
    expect(canRetry({ status: 'running', failed: 1, stopped: 0 })).toBe(false);
    expect(canRetry({ status: 'failed', failed: 1, stopped: 0 })).toBe(true);
    expect(canRetry({ status: 'succeeded', failed: 0, stopped: 0 })).toBe(false);
  });
  it('reads the tab from the query', () => {
    expect(tabOf('?tab=policies')).toBe('policies');
    expect(tabOf('?tab=nope')).toBe('endpoints');
    expect(tabOf('')).toBe('endpoints');
  });
});

describe('scanners', () => {
  it('registers an adapter with its secret only when it authenticates', () => {
    expect(scannerBody({ ...newScannerForm(), name: 'trivy', url: 'http://trivy:8080' }).body)
      .toEqual({ name: 'trivy', url: 'http://trivy:8080', auth: 'none', insecure: false });
    expect(scannerBody({ ...newScannerForm(), name: 'trivy', url: 'http://trivy:8080', auth: 'bearer', secret: 't' }).body)
      .toMatchObject({ auth: 'bearer', secret: 't' });
    expect(scannerBody({ ...newScannerForm(), name: 'trivy', url: 'http://trivy:8080', auth: 'bearer' }).error).toMatch(/needs a secret/);
    expect(scannerBody({ ...newScannerForm(), name: 'trivy', url: 'http://trivy:8080', auth: 'basic', secret: 'x' }).error).toMatch(/user:password/);
    expect(scannerBody({ ...newScannerForm(), name: 'trivy', url: 'trivy:8080' }).error).toMatch(/base URL/);
  });
  it('lists the default first', () => {
    const s = (name: string, isDefault: boolean) => ({ name, default: isDefault }) as Scanner;
    expect(sortScanners([s('b', false), s('z', true), s('a', false)]).map((x) => x.name)).toEqual(['z', 'a', 'b']);
  });
});
