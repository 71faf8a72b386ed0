// Sign-in through Keycloak: OpenID Connect's authorization code flow with PKCE (RFC 7636), for
// the realm's public client berth-console (docs/adr/0046-console.md). The console never sees a
// password: the person types it into Keycloak's own page. Tokens are kept in sessionStorage (this
// tab only, gone when it closes) and the access token is refreshed shortly before it expires.

export interface ConsoleConfig {
  issuer: string;
  clientId: string;
}

export interface Endpoints {
  authorization: string;
  token: string;
  endSession: string | null;
}

export interface Tokens {
  accessToken: string;
  refreshToken: string | null;
  idToken: string | null;
  /** When the access token expires, in epoch milliseconds. */
  expiresAt: number;
}

/** What the sign-in keeps between leaving for Keycloak and coming back. */
export interface PendingLogin {
  state: string;
  nonce: string;
  verifier: string;
  returnTo: string;
}

/** The subset of Web Storage the session uses (sessionStorage in the browser). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export class SignInError extends Error {}

const TOKENS = 'berth.tokens';
const PENDING = 'berth.login';
/** Refresh this long before the access token expires, so no request carries an expired one. */
export const REFRESH_MARGIN_MS = 30_000;

export function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) {
    binary += String.fromCharCode(b);
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A random string of base64url characters from {@code bytes} random bytes. */
export function randomString(bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** PKCE's S256 code challenge of a verifier. */
export async function codeChallenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

export function redirectUri(origin: string): string {
  return origin + '/callback';
}

export function authorizationUrl(endpoints: Endpoints, config: ConsoleConfig, origin: string,
    pending: PendingLogin, challenge: string): string {
  const url = new URL(endpoints.authorization);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('redirect_uri', redirectUri(origin));
  url.searchParams.set('scope', 'openid');
  url.searchParams.set('state', pending.state);
  url.searchParams.set('nonce', pending.nonce);
  url.searchParams.set('code_challenge', challenge);
  url.searchParams.set('code_challenge_method', 'S256');
  return url.toString();
}

/**
 * The authorization code of a callback URL's query, checked against the sign-in that was started
 * here: a callback whose state is not ours (a forged link, an old tab) is refused.
 */
export function parseCallback(search: string, pending: PendingLogin | null): string {
  const params = new URLSearchParams(search);
  const error = params.get('error');
  if (error) {
    throw new SignInError(`Keycloak refused the sign-in: ${params.get('error_description') ?? error}`);
  }
  if (!pending) {
    throw new SignInError('No sign-in was started in this tab; sign in again.');
  }
  if (params.get('state') !== pending.state) {
    throw new SignInError('The sign-in answer does not belong to this sign-in; sign in again.');
  }
  const code = params.get('code');
  if (!code) {
    throw new SignInError('The sign-in answer has no authorization code.');
  }
  return code;
}

/** The claims of a JWT, unverified: only for what the console shows or compares, never for access. */
export function jwtClaims(token: string): Record<string, unknown> {
  const parts = token.split('.');
  if (parts.length !== 3) {
    throw new SignInError('The token is not a JWT.');
  }
  const json = atob(parts[1].replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = Uint8Array.from(json, (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

/** Tokens from a token endpoint's JSON answer, received at {@code now}. */
export function tokensFrom(answer: Record<string, unknown>, now: number, previous?: Tokens | null): Tokens {
  if (typeof answer.access_token !== 'string') {
    throw new SignInError('Keycloak answered without an access token.');
  }
  const lifetime = typeof answer.expires_in === 'number' ? answer.expires_in : 60;
  return {
    accessToken: answer.access_token,
    refreshToken: typeof answer.refresh_token === 'string' ? answer.refresh_token : previous?.refreshToken ?? null,
    idToken: typeof answer.id_token === 'string' ? answer.id_token : previous?.idToken ?? null,
    expiresAt: now + lifetime * 1000,
  };
}

export function needsRefresh(tokens: Tokens, now: number): boolean {
  return tokens.expiresAt - now <= REFRESH_MARGIN_MS;
}

/** Where the person goes to sign out of Keycloak, and comes back to the console's start page. */
export function endSessionUrl(endpoints: Endpoints, config: ConsoleConfig, origin: string,
    tokens: Tokens | null): string | null {
  if (!endpoints.endSession) {
    return null;
  }
  const url = new URL(endpoints.endSession);
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('post_logout_redirect_uri', origin + '/');
  if (tokens?.idToken) {
    url.searchParams.set('id_token_hint', tokens.idToken);
  }
  return url.toString();
}

/** Only same-origin paths are returned to after sign-in: never an address a link could inject. */
export function safeReturnPath(path: string | null | undefined): string {
  if (!path || !path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\') || path.startsWith('/callback')) {
    return '/';
  }
  return path;
}

type Fetch = typeof fetch;

/** One signed-in (or not yet signed-in) browser tab. */
export class Session {
  private endpoints: Endpoints | null = null;
  private refreshing: Promise<Tokens | null> | null = null;

  constructor(
    readonly config: ConsoleConfig,
    private readonly store: KeyValueStore,
    private readonly http: Fetch,
    private readonly origin: string,
    private readonly clock: () => number = Date.now,
  ) {}

  tokens(): Tokens | null {
    const raw = this.store.getItem(TOKENS);
    if (!raw) {
      return null;
    }
    try {
      return JSON.parse(raw) as Tokens;
    } catch {
      this.store.removeItem(TOKENS);
      return null;
    }
  }

  signedIn(): boolean {
    return this.tokens() !== null;
  }

  async discover(): Promise<Endpoints> {
    if (this.endpoints) {
      return this.endpoints;
    }
    const answer = await this.http(this.config.issuer.replace(/\/+$/, '') + '/.well-known/openid-configuration');
    if (!answer.ok) {
      throw new SignInError(`Keycloak's configuration could not be read (HTTP ${answer.status}).`);
    }
    const doc = await answer.json();
    this.endpoints = {
      authorization: doc.authorization_endpoint,
      token: doc.token_endpoint,
      endSession: doc.end_session_endpoint ?? null,
    };
    return this.endpoints;
  }

  /** The URL of Keycloak's sign-in page; the caller navigates there. */
  async loginUrl(returnTo: string): Promise<string> {
    const endpoints = await this.discover();
    const pending: PendingLogin = {
      state: randomString(), nonce: randomString(), verifier: randomString(48), returnTo: safeReturnPath(returnTo),
    };
    this.store.setItem(PENDING, JSON.stringify(pending));
    return authorizationUrl(endpoints, this.config, this.origin, pending, await codeChallenge(pending.verifier));
  }

  /** Redeems the callback's code; returns the path to go back to. */
  async completeLogin(search: string): Promise<string> {
    const raw = this.store.getItem(PENDING);
    const pending = raw ? (JSON.parse(raw) as PendingLogin) : null;
    this.store.removeItem(PENDING);
    const code = parseCallback(search, pending);
    const endpoints = await this.discover();
    const body = new URLSearchParams({
      grant_type: 'authorization_code', code, redirect_uri: redirectUri(this.origin),
      client_id: this.config.clientId, code_verifier: pending!.verifier,
    });
    const answer = await this.http(endpoints.token, { method: 'POST', body });
    const json = await answer.json().catch(() => ({}));
    if (!answer.ok) {
      throw new SignInError(`Keycloak did not redeem the sign-in: ${json.error_description ?? json.error ?? answer.status}`);
    }
    const tokens = tokensFrom(json, this.clock());
    if (tokens.idToken && jwtClaims(tokens.idToken).nonce !== pending!.nonce) {
      throw new SignInError('The identity token does not belong to this sign-in.');
    }
    this.store.setItem(TOKENS, JSON.stringify(tokens));
    return pending!.returnTo;
  }

  /** A valid access token, refreshed first when it is about to expire; null when signed out. */
  async accessToken(): Promise<string | null> {
    const tokens = this.tokens();
    if (!tokens) {
      return null;
    }
    if (!needsRefresh(tokens, this.clock())) {
      return tokens.accessToken;
    }
    return (await this.refresh())?.accessToken ?? null;
  }

  /** One refresh at a time, however many requests wait for it; a refused refresh signs out. */
  refresh(): Promise<Tokens | null> {
    if (!this.refreshing) {
      this.refreshing = this.doRefresh().finally(() => {
        this.refreshing = null;
      });
    }
    return this.refreshing;
  }

  private async doRefresh(): Promise<Tokens | null> {
    const tokens = this.tokens();
    if (!tokens?.refreshToken) {
      this.forget();
      return null;
    }
    const endpoints = await this.discover();
    const body = new URLSearchParams({
      grant_type: 'refresh_token', refresh_token: tokens.refreshToken, client_id: this.config.clientId,
    });
    const answer = await this.http(endpoints.token, { method: 'POST', body });
    if (!answer.ok) {
      this.forget();
      return null;
    }
    const next = tokensFrom(await answer.json(), this.clock(), tokens);
    this.store.setItem(TOKENS, JSON.stringify(next));
    return next;
  }

  forget(): void {
    this.store.removeItem(TOKENS);
  }

  /** Forgets the tokens; the URL that ends the Keycloak session too (null if Keycloak has none). */
  async logoutUrl(): Promise<string | null> {
    const tokens = this.tokens();
    this.forget();
    return endSessionUrl(await this.discover(), this.config, this.origin, tokens);
  }
}
