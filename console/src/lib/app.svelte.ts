// The console's shared state: the session, the API client, who is signed in, and the current
// page. Pages import `app` and `navigate`; nothing else is global.

import { Api } from './api';
import { Session, safeReturnPath, type ConsoleConfig } from './oidc';
import type { Caller } from './roles';

interface AppState {
  ready: boolean;
  /** Why the console cannot start (no configuration, Keycloak unreachable), or null. */
  fatal: string | null;
  user: Caller | null;
  path: string;
  search: string;
}

export const app: AppState = $state({
  ready: false, fatal: null, user: null, path: location.pathname, search: location.search,
});

let session: Session | null = null;

export const api = new Api(
  {
    accessToken: () => session?.accessToken() ?? Promise.resolve(null),
    refresh: () => session?.refresh() ?? Promise.resolve(null),
  },
  () => {
    session?.forget();
    // A token Keycloak has just issued and berth still refuses would send the browser round
    // Keycloak for ever (it signs in again at once): after a fresh sign-in, say so instead.
    const at = Number(sessionStorage.getItem(SIGNED_IN_AT) ?? 0);
    if (Date.now() - at < 60_000) {
      app.ready = false;
      app.fatal = 'berth refused the token Keycloak issued for this sign-in. Is this user allowed here, and do berth and Keycloak agree on the issuer?';
      return;
    }
    void signIn();
  },
);

const SIGNED_IN_AT = 'berth.signedInAt';

export function navigate(path: string, replace = false): void {
  if (replace) {
    history.replaceState(null, '', path);
  } else {
    history.pushState(null, '', path);
  }
  app.path = location.pathname;
  app.search = location.search;
  window.scrollTo(0, 0);
}

addEventListener('popstate', () => {
  app.path = location.pathname;
  app.search = location.search;
});

export async function signIn(returnTo: string = location.pathname + location.search): Promise<void> {
  if (!session) {
    return;
  }
  location.assign(await session.loginUrl(safeReturnPath(returnTo)));
}

export async function signOut(): Promise<void> {
  if (!session) {
    return;
  }
  app.user = null;
  const url = await session.logoutUrl().catch(() => null);
  location.assign(url ?? '/');
}

/** Reads the configuration, finishes a sign-in coming back from Keycloak, or starts one. */
export async function start(): Promise<void> {
  try {
    const answer = await fetch('/console/config.json', { headers: { Accept: 'application/json' } });
    if (!answer.ok) {
      throw new Error(`the console's configuration could not be read (HTTP ${answer.status})`);
    }
    const config = (await answer.json()) as ConsoleConfig;
    session = new Session(config, sessionStorage, (...args) => fetch(...args), location.origin);
    if (location.pathname === '/callback') {
      const back = await session.completeLogin(location.search);
      sessionStorage.setItem(SIGNED_IN_AT, String(Date.now()));
      navigate(back, true);
    }
    if (!session.signedIn()) {
      await signIn();
      return;
    }
    const me = await api.get<Caller & { robot: boolean }>('/api/v1/users/current');
    app.user = { username: me.username, admin: me.admin };
    app.ready = true;
  } catch (e) {
    app.fatal = e instanceof Error ? e.message : String(e);
  }
}
