// The CycloneDX JSON SBOM scanner-bridge serves (GET .../sbom), read into the rows of the
// artifact page's components table, and that table's search.

export interface Component {
  name: string;
  version: string;
  purl: string;
  /** Licence ids, names or expressions, as the SBOM gives them. */
  licences: string[];
  type: string;
}

interface CycloneDxLicence {
  license?: { id?: string; name?: string };
  expression?: string;
}

interface CycloneDxComponent {
  name?: string;
  group?: string;
  version?: string;
  purl?: string;
  type?: string;
  licenses?: CycloneDxLicence[];
  components?: CycloneDxComponent[];
}

/**
 * The components of a CycloneDX document, nested ones included (an assembly's parts), sorted by
 * name then version. Anything that is not a CycloneDX object gives none rather than an error.
 */
export function components(sbom: unknown): Component[] {
  const out: Component[] = [];
  const walk = (list: unknown) => {
    if (!Array.isArray(list)) return;
    for (const c of list as CycloneDxComponent[]) {
      if (!c || typeof c !== 'object') continue;
      const name = [c.group, c.name].filter((p) => typeof p === 'string' && p).join('/');
      const licences = (Array.isArray(c.licenses) ? c.licenses : [])
        .map((l) => l?.expression ?? l?.license?.id ?? l?.license?.name)
        .filter((l): l is string => typeof l === 'string' && l.length > 0);
      out.push({
        name: name || '(unnamed)', version: str(c.version), purl: str(c.purl), licences, type: str(c.type),
      });
      walk(c.components);
    }
  };
  walk((sbom as { components?: unknown } | null)?.components);
  return out.sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** The components whose name, version, purl or a licence contains the query, ignoring case. */
export function filterComponents(list: Component[], query: string): Component[] {
  const q = query.trim().toLowerCase();
  if (!q) return list;
  return list.filter((c) => [c.name, c.version, c.purl, ...c.licences].some((t) => t.toLowerCase().includes(q)));
}

/** The tool that made the SBOM, for a line under the table ("trivy 0.58"), or null. */
export function madeBy(sbom: unknown): string | null {
  const tools = (sbom as { metadata?: { tools?: unknown } } | null)?.metadata?.tools;
  // CycloneDX 1.5 has {components: [...]}; older versions a plain array.
  const list = Array.isArray(tools) ? tools : (tools as { components?: unknown } | undefined)?.components;
  if (!Array.isArray(list) || list.length === 0) return null;
  const first = list[0] as { name?: string; version?: string };
  return first?.name ? [first.name, first.version].filter(Boolean).join(' ') : null;
}
