// Replication as the replicator's API shows it (docs/replication.md): endpoints, policies,
// executions and tasks; the forms the console edits endpoints and policies in, and the bodies
// they become. Passwords go one way: the API never answers one, and an edit that leaves the
// password blank keeps the stored one (PUT with the same user name and no password).
import { wholeNumber } from './cron';
import { nameProblem } from './names';

export const ENDPOINT_TYPES = ['berth', 'distribution', 'harbor', 'docker-hub', 'quay', 'generic-oci'] as const;
export type EndpointType = (typeof ENDPOINT_TYPES)[number];

export interface Endpoint {
  id: number;
  name: string;
  type: EndpointType;
  url: string;
  insecure: boolean;
  credential: { type: 'basic' | 'none'; username?: string; passwordSet?: boolean };
  description: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedBy: string | null;
  updatedAt: string;
}

export interface Ping {
  endpoint: string;
  url: string;
  ok: boolean;
  auth?: string;
  apiVersion?: string;
  error?: string;
  message?: string;
  status?: number;
  durationMs: number;
}

export interface Filters {
  repositories: string[];
  tags: { include: string[]; exclude: string[] };
  kinds: string[];
  platforms: string[];
  untagged: boolean;
}

export type TriggerType = 'manual' | 'scheduled' | 'event_based';

export interface Policy {
  id: number;
  name: string;
  description: string | null;
  enabled: boolean;
  direction: 'push' | 'pull';
  endpoint: { id: number; name: string | null; url: string | null };
  filters: Filters;
  destNamespace: string | null;
  flatten: number;
  overwrite: boolean;
  replicateDeletion: boolean;
  trigger: { type: TriggerType; cron: string | null };
  speedKib: number;
  createdBy: string | null;
  updatedAt: string;
}

/** The states of an execution and of its tasks, in the order the status filters offer them. */
export const EXECUTION_STATUSES = ['pending', 'running', 'succeeded', 'failed', 'stopped'] as const;

export interface Execution {
  id: number;
  policy_id: number;
  policy_name: string;
  trigger: TriggerType;
  status: (typeof EXECUTION_STATUSES)[number];
  status_text: string | null;
  total: number;
  succeeded: number;
  failed: number;
  stopped: number;
  in_progress: number;
  bytes: number;
  start_time: string | null;
  end_time: string | null;
  started_by: string | null;
}

export interface Task {
  id: number;
  execution_id: number;
  operation: 'copy' | 'delete';
  resource_type: string | null;
  src_resource: string;
  dst_resource: string;
  digest: string | null;
  status: string;
  attempts: number;
  error: string | null;
  bytes: number;
  start_time: string | null;
  end_time: string | null;
}

export const TRIGGER_LABELS: Record<TriggerType, string> = {
  manual: 'by hand', scheduled: 'on a schedule', event_based: 'on every push and delete',
};

// --- endpoints ---------------------------------------------------------------------------------

export interface EndpointForm {
  name: string;
  type: EndpointType;
  url: string;
  insecure: boolean;
  anonymous: boolean;
  username: string;
  /** Blank on an edit: keep the stored password. */
  password: string;
  description: string;
}

export function newEndpointForm(): EndpointForm {
  return { name: '', type: 'berth', url: '', insecure: false, anonymous: false, username: '', password: '', description: '' };
}

export function endpointFormOf(e: Endpoint): EndpointForm {
  return {
    name: e.name, type: e.type, url: e.url, insecure: e.insecure, anonymous: e.credential.type === 'none',
    username: e.credential.username ?? '', password: '', description: e.description ?? '',
  };
}

/**
 * The body of a create (current undefined) or an update of `current`, or what is wrong. An update
 * with the stored user name and a blank password sends no password, which keeps the stored one.
 */
export function endpointBody(form: EndpointForm, current?: Endpoint): { body?: Record<string, unknown>; error?: string } {
  const name = form.name.trim();
  const problem = nameProblem(name);
  if (problem) return { error: problem };
  const url = form.url.trim();
  if (!url && form.type !== 'docker-hub') return { error: 'The URL is needed: the registry\'s base URL, e.g. https://registry.example.com' };
  if (url && !/^https?:\/\/[^/]/i.test(url)) return { error: 'The URL starts with http:// or https://' };
  const body: Record<string, unknown> = {
    name, type: form.type, insecure: form.insecure, description: form.description.trim() || null,
  };
  if (url) body.url = url;
  if (form.anonymous) {
    body.credential = { type: 'none' };
  } else {
    const username = form.username.trim();
    if (!username) return { error: 'The user name is needed, or choose anonymous access' };
    const keeps = current?.credential.type === 'basic' && current.credential.username === username;
    if (!form.password && !keeps) return { error: 'The password is needed for a new user name' };
    body.credential = form.password ? { type: 'basic', username, password: form.password } : { type: 'basic', username };
  }
  return { body };
}

/** What a test of the connection found, in a sentence. */
export function pingText(p: Ping): string {
  if (p.ok) {
    return `${p.endpoint} answers at ${p.url}: ${p.apiVersion ?? 'registry'}, ${p.auth ?? 'no'} authentication, ${p.durationMs} ms.`;
  }
  const status = p.status ? ` (HTTP ${p.status})` : '';
  return `${p.endpoint} at ${p.url} failed: ${p.error ?? 'error'}${status}. ${p.message ?? ''}`.trim();
}

// --- policies ----------------------------------------------------------------------------------

export interface PolicyForm {
  name: string;
  description: string;
  enabled: boolean;
  direction: 'push' | 'pull';
  endpointId: string;
  repositories: string;
  tagsInclude: string;
  tagsExclude: string;
  untagged: boolean;
  destNamespace: string;
  trigger: TriggerType;
  cron: string;
  overwrite: boolean;
  replicateDeletion: boolean;
  speedKib: string;
}

export function newPolicyForm(endpointId: number | null): PolicyForm {
  return {
    name: '', description: '', enabled: true, direction: 'push', endpointId: endpointId === null ? '' : String(endpointId),
    repositories: '', tagsInclude: '', tagsExclude: '', untagged: false, destNamespace: '', trigger: 'manual', cron: '',
    overwrite: true, replicateDeletion: false, speedKib: '0',
  };
}

export function policyFormOf(p: Policy): PolicyForm {
  return {
    name: p.name, description: p.description ?? '', enabled: p.enabled, direction: p.direction,
    endpointId: String(p.endpoint.id), repositories: p.filters.repositories.join(', '),
    tagsInclude: p.filters.tags.include.join(', '), tagsExclude: p.filters.tags.exclude.join(', '),
    untagged: p.filters.untagged, destNamespace: p.destNamespace ?? '', trigger: p.trigger.type, cron: p.trigger.cron ?? '',
    overwrite: p.overwrite, replicateDeletion: p.replicateDeletion, speedKib: String(p.speedKib),
  };
}

/**
 * "a, b , c" as ["a","b","c"]. A comma inside braces belongs to the pattern ({web,api}), so
 * patterns are split on commas outside braces only.
 */
export function patternList(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '{') depth++;
    if (ch === '}') depth = Math.max(0, depth - 1);
    if ((ch === ',' || ch === '\n') && depth === 0) {
      out.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  out.push(current);
  return out.map((s) => s.trim()).filter((s) => s !== '');
}

/** The body of a create or update in berth's shape, or what is wrong with the form. */
export function policyBody(form: PolicyForm): { body?: Record<string, unknown>; error?: string } {
  const name = form.name.trim();
  const problem = nameProblem(name);
  if (problem) return { error: problem };
  const endpointId = wholeNumber(form.endpointId);
  if (endpointId === null || Number.isNaN(endpointId)) return { error: 'Choose the endpoint to replicate with' };
  if (form.trigger === 'event_based' && form.direction === 'pull') {
    return { error: 'Remote registries send no events: a pull policy runs by hand or on a schedule' };
  }
  if (form.trigger === 'scheduled' && !form.cron.trim()) return { error: 'A scheduled policy needs a cron expression' };
  const speed = wholeNumber(form.speedKib);
  if (Number.isNaN(speed)) return { error: 'The bandwidth limit is a whole number of KiB/s (0: none)' };
  const trigger: Record<string, unknown> = { type: form.trigger };
  if (form.trigger === 'scheduled') trigger.cron = form.cron.trim().replace(/\s+/g, ' ');
  return {
    body: {
      name, description: form.description.trim() || null, enabled: form.enabled, direction: form.direction, endpointId,
      filters: {
        repositories: patternList(form.repositories),
        tags: { include: patternList(form.tagsInclude), exclude: patternList(form.tagsExclude) },
        untagged: form.untagged,
      },
      destNamespace: form.destNamespace.trim() || null,
      trigger, overwrite: form.overwrite, replicateDeletion: form.replicateDeletion, speedKib: speed ?? 0,
    },
  };
}

/** "myapp/**; tags v*, not *-wip" for a list. */
export function filtersText(f: Filters): string {
  const parts = [f.repositories.length ? f.repositories.join(', ') : 'every repository'];
  if (f.tags.include.length) parts.push(`tags ${f.tags.include.join(', ')}`);
  if (f.tags.exclude.length) parts.push(`not ${f.tags.exclude.join(', ')}`);
  if (f.untagged) parts.push('untagged too');
  return parts.join('; ');
}

/** Whether an execution may be stopped, and whether it has tasks to retry. */
export function canStop(e: Pick<Execution, 'status'>): boolean {
  return e.status === 'pending' || e.status === 'running';
}

export function canRetry(e: Pick<Execution, 'status' | 'failed' | 'stopped'>): boolean {
  return !canStop(e) && e.failed + e.stopped > 0;
}

/** The replication page's tabs, from ?tab= (endpoints when missing or unknown). */
export const TABS = ['endpoints', 'policies', 'executions'] as const;
export type Tab = (typeof TABS)[number];

export function tabOf(search: string): Tab {
  const t = new URLSearchParams(search).get('tab');
  return (TABS as readonly string[]).includes(t ?? '') ? (t as Tab) : 'endpoints';
}
