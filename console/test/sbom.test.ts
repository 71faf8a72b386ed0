import { describe, expect, it } from 'vitest';
import { components, filterComponents, madeBy } from '../src/lib/sbom';

describe('the SBOM', () => {
  const sbom = {
    bomFormat: 'CycloneDX',
    metadata: { tools: { components: [{ name: 'berth-scanner', version: '1.2' }] } },
    components: [
      { type: 'library', name: 'zlib', version: '1.2.13', purl: 'pkg:deb/debian/zlib@1.2.13', licenses: [{ license: { id: 'Zlib' } }] },
      { type: 'library', group: 'org.apache', name: 'commons', version: '3.0', purl: 'pkg:maven/org.apache/commons@3.0',
        licenses: [{ expression: 'Apache-2.0 OR MIT' }],
        components: [{ name: 'commons-inner', version: '1' }] },
      { type: 'library', name: 'busybox', licenses: [{ license: { name: 'GPL v2' } }, {}] },
      null,
    ],
  };

  it('lists the components, nested ones too, by name', () => {
    expect(components(sbom)).toEqual([
      { name: 'busybox', version: '', purl: '', licences: ['GPL v2'], type: 'library' },
      { name: 'commons-inner', version: '1', purl: '', licences: [], type: '' },
      { name: 'org.apache/commons', version: '3.0', purl: 'pkg:maven/org.apache/commons@3.0', licences: ['Apache-2.0 OR MIT'], type: 'library' },
      { name: 'zlib', version: '1.2.13', purl: 'pkg:deb/debian/zlib@1.2.13', licences: ['Zlib'], type: 'library' },
    ]);
  });

  it('gives nothing, not an error, for what is not CycloneDX', () => {
    expect(components(null)).toEqual([]);
    expect(components({ components: 'x' })).toEqual([]);
    expect(madeBy({})).toBeNull();
  });

  it('searches names, versions, purls and licences', () => {
    const list = components(sbom);
    expect(filterComponents(list, 'MIT').map((c) => c.name)).toEqual(['org.apache/commons']);
    expect(filterComponents(list, 'pkg:deb').map((c) => c.name)).toEqual(['zlib']);
    expect(filterComponents(list, '1.2.13').map((c) => c.name)).toEqual(['zlib']);
    expect(filterComponents(list, '')).toHaveLength(4);
  });

  it('names the tool that made it, in old and new CycloneDX', () => {
    expect(madeBy(sbom)).toBe('berth-scanner 1.2');
    expect(madeBy({ metadata: { tools: [{ vendor: 'x', name: 'trivy' }] } })).toBe('trivy');
  });
});
