// The scanner registry and the vulnerability database as scanner-bridge shows them
// (docs/scanners.md, ScannerResource, VulnerabilityDbResource), and the form to register an adapter.
import { nameProblem } from './names';

export const SCANNER_AUTH = ['none', 'basic', 'bearer', 'api-key'] as const;
export type ScannerAuth = (typeof SCANNER_AUTH)[number];

export interface Scanner {
  name: string;
  /** "builtin" for berth's own scanner, else an adapter. */
  kind: string;
  url: string | null;
  auth: ScannerAuth;
  secretSet: boolean;
  insecure: boolean;
  disabled: boolean;
  default: boolean;
  description: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ScannerMetadata {
  scanner: { name: string; vendor: string; version: string };
  capabilities: { type?: string; consumes_mime_types: string[]; produces_mime_types: string[] }[];
  properties: Record<string, string>;
}

export interface ImportRun {
  id: number;
  status: string;
  source: string;
  kind: string;
  requestedBy: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  records: number;
  added: number;
  updated: number;
  withdrawn: number;
  error: string | null;
}

export interface VulnerabilityDb {
  lastImport: ImportRun | null;
  lastSuccessfulImport: ImportRun | null;
  advisories: number;
  ecosystems: { ecosystem: string; advisories: number; affectedPackages: number }[];
}

export interface ScanAll {
  artifacts: number;
  queued: number;
  alreadyOpen: number;
  skipped: number;
}

export interface ScannerForm {
  name: string;
  url: string;
  auth: ScannerAuth;
  secret: string;
  insecure: boolean;
  description: string;
}

export function newScannerForm(): ScannerForm {
  return { name: '', url: '', auth: 'none', secret: '', insecure: false, description: '' };
}

/** What the secret is for each kind of authentication, as Harbor sends it. */
export const SECRET_HINTS: Record<ScannerAuth, string> = {
  none: '',
  basic: 'user:password',
  bearer: 'the token',
  'api-key': 'the key, sent as X-ScannerAdapter-API-Key',
};

/** The body of POST /api/v1/scanners, or what is wrong with the form. */
export function scannerBody(form: ScannerForm): { body?: Record<string, unknown>; error?: string } {
  const name = form.name.trim();
  const problem = nameProblem(name);
  if (problem) return { error: problem };
  const url = form.url.trim();
  if (!/^https?:\/\/[^/]/i.test(url)) {
    return { error: 'The URL is the adapter\'s base URL, http:// or https://, e.g. http://trivy-adapter:8080' };
  }
  if (form.auth !== 'none' && !form.secret) return { error: `Authentication ${form.auth} needs a secret` };
  if (form.auth === 'basic' && !form.secret.includes(':')) return { error: 'A basic secret is user:password' };
  const body: Record<string, unknown> = { name, url, auth: form.auth, insecure: form.insecure };
  if (form.auth !== 'none') body.secret = form.secret;
  if (form.description.trim()) body.description = form.description.trim();
  return { body };
}

/** Scanners in the order people look for them: the default first, then by name. */
export function sortScanners(list: Scanner[]): Scanner[] {
  return list.slice().sort((a, b) => Number(b.default) - Number(a.default) || a.name.localeCompare(b.name));
}
