import { describe, expect, it } from 'vitest';
import {
  artifactContext, artifactKind, deleteArtifactQuestion, deleteRepositoryQuestion, deleteTagQuestion, groupReferrers, inProject,
  matchesName, platformLabel, pullCommand, readListing, slice,
} from '../src/lib/artifacts';
import type { ArtifactSummary } from '../src/lib/types';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

function artifact(digest: string, over: Partial<ArtifactSummary> = {}): ArtifactSummary {
  return {
    digest, mediaType: OCI_MANIFEST, artifactType: 'application/vnd.oci.image.config.v1+json', tags: [], size: 500,
    totalSize: 5000, pushedAt: '2026-12-05T12:00:00Z', lastPulledAt: null, subject: null, children: [], scan: null, ...over,
  };
}

describe('artifact kinds', () => {
  it('tells images and indexes, Docker and OCI alike', () => {
    expect(artifactKind(artifact('a'))).toEqual({ kind: 'image', label: 'image', scannable: true });
    expect(artifactKind({ mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      artifactType: 'application/vnd.docker.container.image.v1+json' }).kind).toBe('image');
    expect(artifactKind({ mediaType: OCI_MANIFEST, artifactType: null }).kind).toBe('image');
    expect(artifactKind({ mediaType: OCI_INDEX, artifactType: null })).toEqual({ kind: 'index', label: 'index', scannable: true });
    expect(artifactKind({ mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json', artifactType: null }).label)
      .toBe('index');
  });

  it('names the usual OCI artifacts, none of them scannable', () => {
    const of = (artifactType: string) => artifactKind({ mediaType: OCI_MANIFEST, artifactType });
    expect(of('application/vnd.cncf.helm.config.v1+json')).toEqual({ kind: 'helm', label: 'Helm chart', scannable: false });
    expect(of('application/vnd.cyclonedx+json').label).toBe('SBOM');
    expect(of('application/spdx+json').label).toBe('SBOM');
    expect(of('application/vnd.dev.cosign.artifact.sig.v1+json').label).toBe('signature');
    expect(of('application/vnd.cncf.notary.signature').label).toBe('signature');
    expect(of('application/vnd.dev.sigstore.bundle.v0.3+json').label).toBe('signature');
    expect(of('application/vnd.in-toto+json').label).toBe('attestation');
    expect(of('application/vnd.wasm.config.v0+json').label).toBe('WebAssembly');
    expect(of('application/vnd.example.thing')).toEqual({ kind: 'artifact', label: 'OCI artifact', scannable: false });
  });

  it("knows cosign's tag scheme, though its signatures carry an image config", () => {
    const sig = artifact('s', { tags: [`sha256-${'a'.repeat(64)}.sig`] });
    expect(artifactKind(sig)).toEqual({ kind: 'signature', label: 'signature', scannable: false });
    expect(artifactKind(artifact('t', { tags: [`sha256-${'b'.repeat(64)}.att`] })).kind).toBe('attestation');
    expect(artifactKind(artifact('u', { tags: ['sha256-short.sig'] })).kind).toBe('image');
  });

  it('writes platforms as docker does', () => {
    expect(platformLabel({ os: 'linux', architecture: 'arm64', variant: 'v8' })).toBe('linux/arm64/v8');
    expect(platformLabel({ os: 'linux', architecture: 'amd64', variant: null })).toBe('linux/amd64');
    expect(platformLabel({ os: null, architecture: null, variant: null })).toBe('unknown');
  });
});

describe('referrers under their subject', () => {
  it('nests referrers, and theirs, right under what they refer to', () => {
    // Newest first, as the API lists them: the SBOM and its signature came after the image.
    const list = [
      artifact('sig-of-sbom', { subject: 'sbom' }),
      artifact('sbom', { subject: 'img' }),
      artifact('other'),
      artifact('img'),
      artifact('sig', { subject: 'img' }),
    ];
    const rows = groupReferrers(list).map((r) => [r.artifact.digest, r.depth, r.detachedSubject]);
    expect(rows).toEqual([
      ['other', 0, null],
      ['img', 0, null],
      ['sbom', 1, null],
      ['sig-of-sbom', 2, null],
      ['sig', 1, null],
    ]);
  });

  it('keeps a referrer whose subject is not listed at the top, naming the subject', () => {
    const rows = groupReferrers([artifact('sbom', { subject: 'elsewhere' }), artifact('img')]);
    expect(rows.map((r) => [r.artifact.digest, r.depth, r.detachedSubject])).toEqual([
      ['sbom', 0, 'elsewhere'], ['img', 0, null],
    ]);
  });

  it('shows every artifact exactly once, even in a cycle', () => {
    const rows = groupReferrers([artifact('a', { subject: 'b' }), artifact('b', { subject: 'a' }), artifact('c', { subject: 'c' })]);
    expect(rows.map((r) => r.artifact.digest).sort()).toEqual(['a', 'b', 'c']);
  });
});

describe("an artifact's context", () => {
  const list = [
    artifact('sbom', { subject: 'child1' }),
    artifact('sig', { subject: 'idx' }),
    artifact('idx', { mediaType: OCI_INDEX, artifactType: null, children: ['child1', 'child2', 'gone'], tags: ['1.0'] }),
    artifact('child1'),
    artifact('child2'),
  ];

  it('finds its referrers, its children and the indexes that hold it', () => {
    const idx = artifactContext(list, 'idx');
    expect(idx.artifact?.tags).toEqual(['1.0']);
    expect(idx.referrers.map((r) => r.artifact.digest)).toEqual(['sig']);
    expect([...idx.children.keys()]).toEqual(['child1', 'child2']);
    const child = artifactContext(list, 'child1');
    expect(child.parents.map((a) => a.digest)).toEqual(['idx']);
    expect(child.referrers.map((r) => [r.artifact.digest, r.depth])).toEqual([['sbom', 1]]);
    expect(artifactContext(list, 'sbom').subject?.digest).toBe('child1');
  });

  it('gives no artifact for a digest not listed', () => {
    expect(artifactContext(list, 'nope')).toMatchObject({ artifact: null, referrers: [], parents: [] });
  });
});

describe('reading a listing', () => {
  const loader = (total: number) => {
    const asked: number[] = [];
    const load = async (page: number, size: number) => {
      asked.push(page);
      const items = Array.from({ length: Math.max(0, Math.min(size, total - (page - 1) * size)) }, (_, i) => (page - 1) * size + i);
      return { items, total };
    };
    return { load, asked };
  };

  it('reads every page to the end', async () => {
    const { load, asked } = loader(5);
    expect(await readListing(load, 2, 10)).toEqual({ items: [0, 1, 2, 3, 4], total: 5, complete: true });
    expect(asked).toEqual([1, 2, 3]);
  });

  it('stops when it has what it needs, or at the page limit', async () => {
    const found = loader(100);
    expect((await readListing(found.load, 10, 10, (items) => items.includes(15))).complete).toBe(false);
    expect(found.asked).toEqual([1, 2]);
    const limited = loader(100);
    expect(await readListing(limited.load, 10, 3)).toMatchObject({ total: 100, complete: false });
    expect(limited.asked).toEqual([1, 2, 3]);
  });

  it('stops on an exactly full last page', async () => {
    const { load, asked } = loader(4);
    expect((await readListing(load, 2, 10)).complete).toBe(true);
    expect(asked).toEqual([1, 2]);
  });
});

describe('pull commands and names', () => {
  it('pulls by tag, or by digest without one', () => {
    expect(pullCommand('docker', 'reg.example:5000', 'team/app', { tag: '1.0' })).toBe('docker pull reg.example:5000/team/app:1.0');
    expect(pullCommand('podman', 'reg.example', 'team/app', { digest: 'sha256:abc' })).toBe('podman pull reg.example/team/app@sha256:abc');
  });

  it('finds the path inside the project', () => {
    expect(inProject('team', 'team/app/web')).toBe('app/web');
    expect(inProject('team', 'teams/app')).toBe('teams/app');
  });

  it('filters names ignoring case and blanks', () => {
    expect(matchesName('team/Frontend', 'front')).toBe(true);
    expect(matchesName('team/backend', ' ')).toBe(true);
    expect(matchesName('team/backend', 'front')).toBe(false);
  });

  it('slices a page, clamped to the last', () => {
    const items = [1, 2, 3, 4, 5];
    expect(slice(items, 2, 2)).toEqual([3, 4]);
    expect(slice(items, 9, 2)).toEqual([5]);
    expect(slice([], 1, 2)).toEqual([]);
  });
});

describe('the questions before a delete', () => {
  const digest = 'sha256:' + 'c'.repeat(64);
  it('name exactly what goes', () => {
    expect(deleteTagQuestion('team/app', '1.0', digest)).toBe('Delete tag 1.0 of team/app? The artifact sha256:cccccccccccc stays.');
    expect(deleteArtifactQuestion('team/app', { digest, tags: ['1.0', 'latest'] }))
      .toBe(`Delete artifact ${digest} of team/app and its tags 1.0, latest? This cannot be undone.`);
    expect(deleteArtifactQuestion('team/app', { digest, tags: ['1.0'] })).toContain('and its tag 1.0?');
    expect(deleteArtifactQuestion('team/app', { digest, tags: [] })).toContain('of team/app (untagged)?');
    expect(deleteRepositoryQuestion({ name: 'team/app', artifactCount: 1, tagCount: 3 }))
      .toBe('Delete repository team/app with its 1 artifact and 3 tags? This cannot be undone.');
  });
});
