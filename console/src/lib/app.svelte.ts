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
    void signIn();
  },
);

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
