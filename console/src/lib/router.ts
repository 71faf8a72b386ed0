// History routing without a library: a route is a pattern of literal segments, ":name" (one
// segment) and "*name" (one or more segments, for repository names that hold slashes).

export interface Match {
  params: Record<string, string>;
}

export interface Route<C> {
  pattern: string;
  regex: RegExp;
  names: string[];
  view: C;
}

export function route<C>(pattern: string, view: C): Route<C> {
  const names: string[] = [];
  const source = pattern
    .split('/')
    .map((part) => {
      if (part.startsWith(':')) {
        names.push(part.slice(1));
        return '([^/]+)';
      }
      if (part.startsWith('*')) {
        names.push(part.slice(1));
        return '(.+?)';
      }
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { pattern, regex: new RegExp(`^${source}/?$`), names, view };
}

/** The first route matching the path, with its parameters decoded. */
export function resolve<C>(routes: Route<C>[], path: string): { route: Route<C>; params: Record<string, string> } | null {
  for (const candidate of routes) {
    const m = candidate.regex.exec(path);
    if (m) {
      const params: Record<string, string> = {};
      try {
        candidate.names.forEach((name, i) => {
          params[name] = decodeURIComponent(m[i + 1]);
        });
      } catch {
        return null; // a malformed %-escape is no page
      }
      return { route: candidate, params };
    }
  }
  return null;
}

/** Whether a click on a link should be left to the browser (new tab, download, another origin). */
export function leaveToBrowser(event: MouseEvent, anchor: HTMLAnchorElement, origin: string): boolean {
  return event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey
    || event.altKey || anchor.target === '_blank' || anchor.hasAttribute('download')
    || anchor.origin !== origin || anchor.pathname.startsWith('/api/') || anchor.pathname.startsWith('/v2');
}

/**
 * One segment of a page's address: escaped as a URI component, but with the characters a digest
 * or name may hold and a path may carry as they are (`sha256:…`), since the gateway serves pages
 * only at addresses without %-escapes (docs/adr/0047).
 */
export function pageSegment(value: string): string {
  return encodeURIComponent(value).replace(/%(3A|40|2B|3D|2C)/gi, (escape) => decodeURIComponent(escape));
}
