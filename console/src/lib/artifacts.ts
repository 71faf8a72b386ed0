// What the repository and artifact pages make of the browsing API's artifact summaries: a short
// label for each kind of artifact, referrers (signatures, SBOMs, attestations) nested under their
// subject, the artifact page's context gathered from the listing, and the pull commands.
import { shortDigest } from './format';
import type { ArtifactSummary, Platform, RepositorySummary } from './types';

export type ArtifactKind = 'image' | 'index' | 'helm' | 'sbom' | 'signature' | 'attestation' | 'wasm' | 'artifact';

export interface KindLabel {
  kind: ArtifactKind;
  /** A few words for a table cell: "image", "index", "Helm chart", "SBOM"... */
  label: string;
  /** Whether scanner-bridge scans it (images and indexes, as its Scannable says). */
  scannable: boolean;
}

const INDEXES = ['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json'];
const MANIFESTS = ['application/vnd.oci.image.manifest.v1+json', 'application/vnd.docker.distribution.manifest.v2+json'];
const IMAGE_CONFIGS = ['application/vnd.oci.image.config.v1+json', 'application/vnd.docker.container.image.v1+json'];

/** Known artifact types, by a part of the type each contains; the first that matches wins. */
const TYPES: [RegExp, ArtifactKind, string][] = [
  [/helm\.(config|chart)/, 'helm', 'Helm chart'],
  [/cyclonedx|spdx|syft|\bsbom\b/, 'sbom', 'SBOM'],
  [/cosign\.artifact\.sig|notary\.signature|sigstore\.bundle|cosign\.simplesigning/, 'signature', 'signature'],
  [/in-toto|dsse\.envelope|attestation|vex/, 'attestation', 'attestation'],
  [/wasm/, 'wasm', 'WebAssembly'],
];

/** cosign's tag scheme for what it attaches without the referrers API: sha256-<hex>.sig, .att, .sbom. */
const COSIGN_TAG = /^sha256-[0-9a-f]{64}\.(sig|att|sbom)$/;

/** The kind of an artifact from its media type, its effective artifact type and, for cosign's tag scheme, its tags. */
export function artifactKind(a: Pick<ArtifactSummary, 'mediaType' | 'artifactType'> & { tags?: string[] }): KindLabel {
  const type = (a.artifactType ?? '').toLowerCase();
  if (INDEXES.includes(a.mediaType)) {
    // An index with an artifactType of its own (an OCI artifact index) is that artifact.
    const typed = TYPES.find(([pattern]) => pattern.test(type));
    return typed ? { kind: typed[1], label: typed[2], scannable: true } : { kind: 'index', label: 'index', scannable: true };
  }
  const cosign = a.tags?.map((t) => COSIGN_TAG.exec(t)?.[1]).find((suffix) => suffix);
  if (cosign) {
    const [kind, label]: [ArtifactKind, string] = cosign === 'sig' ? ['signature', 'signature']
      : cosign === 'att' ? ['attestation', 'attestation'] : ['sbom', 'SBOM'];
    return { kind, label, scannable: false };
  }
  if (MANIFESTS.includes(a.mediaType) && (!type || IMAGE_CONFIGS.includes(type))) {
    return { kind: 'image', label: 'image', scannable: true };
  }
  const typed = TYPES.find(([pattern]) => pattern.test(type));
  if (typed) {
    return { kind: typed[1], label: typed[2], scannable: false };
  }
  return { kind: 'artifact', label: 'OCI artifact', scannable: false };
}

/** "linux/arm64/v8"; parts the index does not give are left out, "unknown" if none is given. */
export function platformLabel(p: Pick<Platform, 'os' | 'architecture' | 'variant'>): string {
  const parts = [p.os, p.architecture, p.variant].filter((part): part is string => !!part);
  return parts.length ? parts.join('/') : 'unknown';
}

/** A row of the repository's table: an artifact and how deep it sits under the subject it refers to. */
export interface Row {
  artifact: ArtifactSummary;
  /** 0 for a top-level artifact, 1 for a referrer of one, 2 for a referrer of a referrer... */
  depth: number;
  /** For a top-level referrer whose subject is not among the rows (another page, or deleted): that subject. */
  detachedSubject: string | null;
}

/**
 * Puts each referrer (an artifact whose `subject` is another) right under its subject, in the
 * listing's order, instead of as a row of its own; a referrer whose subject is not in the list
 * stays at the top level, marked with the subject it refers to. A cycle (impossible in a registry,
 * since a subject's digest is fixed before its referrer exists) cannot hide an artifact: each
 * appears exactly once.
 */
export function groupReferrers(artifacts: ArtifactSummary[]): Row[] {
  const present = new Set(artifacts.map((a) => a.digest));
  const bySubject = new Map<string, ArtifactSummary[]>();
  for (const a of artifacts) {
    if (a.subject && a.subject !== a.digest && present.has(a.subject)) {
      const list = bySubject.get(a.subject) ?? [];
      list.push(a);
      bySubject.set(a.subject, list);
    }
  }
  const rows: Row[] = [];
  const placed = new Set<string>();
  const place = (a: ArtifactSummary, depth: number, detachedSubject: string | null) => {
    if (placed.has(a.digest)) return;
    placed.add(a.digest);
    rows.push({ artifact: a, depth, detachedSubject });
    for (const child of bySubject.get(a.digest) ?? []) place(child, depth + 1, null);
  };
  for (const a of artifacts) {
    const nested = a.subject && a.subject !== a.digest && present.has(a.subject);
    if (!nested) place(a, 0, a.subject && a.subject !== a.digest ? a.subject : null);
  }
  // Whatever a cycle left unplaced still shows, at the top.
  for (const a of artifacts) place(a, 0, a.subject ?? null);
  return rows;
}

/** What the artifact page shows around one artifact, from the repository's listing. */
export interface ArtifactContext {
  artifact: ArtifactSummary | null;
  /** Its referrers and theirs, nested as on the repository page (depth 1 = refers to it). */
  referrers: Row[];
  /** The artifact it refers to, if it is a referrer and its subject is listed. */
  subject: ArtifactSummary | null;
  /** The indexes that list it as a child. */
  parents: ArtifactSummary[];
  /** For an index, its children that are in the listing, by digest. */
  children: Map<string, ArtifactSummary>;
}

export function artifactContext(all: ArtifactSummary[], digest: string): ArtifactContext {
  const artifact = all.find((a) => a.digest === digest) ?? null;
  const byDigest = new Map(all.map((a) => [a.digest, a]));
  const referrers: Row[] = [];
  const seen = new Set<string>([digest]);
  const walk = (of: string, depth: number) => {
    for (const a of all) {
      if (a.subject === of && !seen.has(a.digest)) {
        seen.add(a.digest);
        referrers.push({ artifact: a, depth, detachedSubject: null });
        walk(a.digest, depth + 1);
      }
    }
  };
  walk(digest, 1);
  const children = new Map<string, ArtifactSummary>();
  for (const child of artifact?.children ?? []) {
    const found = byDigest.get(child);
    if (found) children.set(child, found);
  }
  return {
    artifact,
    referrers,
    subject: artifact?.subject ? byDigest.get(artifact.subject) ?? null : null,
    parents: all.filter((a) => a.children?.includes(digest)),
    children,
  };
}

/** A page of a listing, as `Api.page` gives it. */
export type PageLoader<T> = (page: number, pageSize: number) => Promise<{ items: T[]; total: number }>;

/**
 * Reads a listing page by page until it ends, `until` says it has what it needs, or `maxPages`
 * pages were read; `complete` says whether the whole listing was read.
 */
export async function readListing<T>(load: PageLoader<T>, pageSize: number, maxPages: number,
  until: (items: T[]) => boolean = () => false): Promise<{ items: T[]; total: number; complete: boolean }> {
  const items: T[] = [];
  let total = 0;
  for (let page = 1; page <= maxPages; page++) {
    const answer = await load(page, pageSize);
    items.push(...answer.items);
    total = answer.total;
    if (answer.items.length < pageSize || items.length >= total) {
      return { items, total, complete: true };
    }
    if (until(items)) break;
  }
  return { items, total, complete: items.length >= total };
}

export type PullClient = 'docker' | 'podman';

/** `docker pull host/project/app:1.0`, or by digest when there is no tag. */
export function pullCommand(client: PullClient, host: string, repository: string, ref: { tag?: string | null; digest?: string }): string {
  const target = ref.tag ? `${host}/${repository}:${ref.tag}` : `${host}/${repository}@${ref.digest}`;
  return `${client} pull ${target}`;
}

/** The repository's path inside its project, as the browsing API's paths take it ("app/web" of "team/app/web"). */
export function inProject(project: string, repository: string): string {
  return repository.startsWith(project + '/') ? repository.slice(project.length + 1) : repository;
}

/** The client-side filter of a list of repositories by a part of their name, ignoring case. */
export function matchesName(name: string, query: string): boolean {
  const q = query.trim().toLowerCase();
  return !q || name.toLowerCase().includes(q);
}

/** One page of a list held whole in the browser (reports, SBOM components). */
export function slice<T>(items: T[], page: number, pageSize: number): T[] {
  const last = Math.max(1, Math.ceil(items.length / pageSize));
  const p = Math.min(Math.max(1, page), last);
  return items.slice((p - 1) * pageSize, p * pageSize);
}

/** The confirmation of a tag's delete: it names the tag and the repository, and says the artifact stays. */
export function deleteTagQuestion(repository: string, tag: string, digest: string): string {
  return `Delete tag ${tag} of ${repository}? The artifact ${shortDigest(digest)} stays.`;
}

/** The confirmation of an artifact's delete: it names the whole digest and every tag that goes with it. */
export function deleteArtifactQuestion(repository: string, artifact: Pick<ArtifactSummary, 'digest' | 'tags'>): string {
  const n = artifact.tags.length;
  const tags = n ? ` and its tag${n === 1 ? '' : 's'} ${artifact.tags.join(', ')}` : ' (untagged)';
  return `Delete artifact ${artifact.digest} of ${repository}${tags}? This cannot be undone.`;
}

/** The confirmation of a repository's delete, with what it holds. */
export function deleteRepositoryQuestion(r: Pick<RepositorySummary, 'name' | 'artifactCount' | 'tagCount'>): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `Delete repository ${r.name} with its ${plural(r.artifactCount, 'artifact')} and ${plural(r.tagCount, 'tag')}?`
    + ' This cannot be undone.';
}
