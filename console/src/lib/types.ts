// The JSON the console reads, as the services write it (docs/openapi/*.json; field names as on the wire).
import type { Role } from './roles';

export interface ProjectView {
  name: string;
  public: boolean;
  /** -1: no limit. */
  quotaBytes: number;
  usedBytes: number;
  /** Each rule {repositories, tags} as patterns; settings.ts's rulesOf reads them. */
  immutableTagRules: unknown[];
  vulnerabilityPolicy: Record<string, unknown> | null;
  createdAt: string;
  /** Only on GET /api/v1/projects/{p}: the caller's own role, null if not a member. */
  currentUserRole?: Role | null;
}

export interface RepositorySummary {
  name: string;
  artifactCount: number;
  tagCount: number;
  totalSize: number;
  lastPushedAt: string | null;
  createdAt: string;
}

export interface ScanSummary {
  status: 'pending' | 'running' | 'success' | 'error';
  summary: Record<string, number> | null;
  scanner: string | null;
  updatedAt: string;
}

export interface Platform {
  digest: string;
  os: string | null;
  architecture: string | null;
  variant: string | null;
}

export interface ArtifactSummary {
  digest: string;
  mediaType: string;
  artifactType: string | null;
  tags: string[];
  size: number;
  totalSize: number;
  pushedAt: string;
  lastPulledAt: string | null;
  subject: string | null;
  children: string[];
  /** For an index: its children's platforms, in the index's order (may be absent on older servers). */
  platforms?: Platform[];
  scan: ScanSummary | null;
}
