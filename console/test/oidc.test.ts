import { describe, expect, it } from 'vitest';
import {
  Session, SignInError, authorizationUrl, base64url, codeChallenge, endSessionUrl, jwtClaims, needsRefresh,
  parseCallback, safeReturnPath, tokensFrom, type KeyValueStore, type PendingLogin,
} from '../src/lib/oidc';

const endpoints = { authorization: 'https://kc.example/auth', token: 'https://kc.example/token', endSession: 'https://kc.example/logout' };
const config = { issuer: 'https://kc.example/realms/berth', clientId: 'berth-console' };
const pending: PendingLogin = { state: 's1', nonce: 'n1', verifier: 'v'.repeat(43), returnTo: '/projects/a' };

class MemoryStore implements KeyValueStore {
  values = new Map<string, string>();
  getItem(key: string) { return this.values.get(key) ?? null; }
  setItem(key: string, value: string) { this.values.set(key, value); }
  removeItem(key: string) { this.values.delete(key); }
}

function jwt(claims: object): string {
  const part = (o: object) => base64url(new TextEncoder().encode(JSON.stringify(o)));
  return `${part({ alg: 'none' })}.${part(claims)}.sig`;
}

describe('PKCE', () => {
  it('computes the S256 challenge of RFC 7636 appendix B', async () => {
    expect(await codeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('asks for the code flow with the challenge, state and nonce', () => {
    const url = new URL(authorizationUrl(endpoints, config, 'http://127.0.0.1:5000', pending, 'chal'));
    expect(url.origin + url.pathname).toBe('https://kc.example/auth');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code', client_id: 'berth-console', redirect_uri: 'http://127.0.0.1:5000/callback',
      scope: 'openid', state: 's1', nonce: 'n1', code_challenge: 'chal', code_challenge_method: 'S256',
    });
  });
});

describe('the callback', () => {
  it('returns the code when the state is ours', () => {
    expect(parseCallback('?code=abc&state=s1', pending)).toBe('abc');
  });
  it('refuses a state that is not ours, a missing sign-in and Keycloak errors', () => {
    expect(() => parseCallback('?code=abc&state=other', pending)).toThrow(SignInError);
    expect(() => parseCallback('?code=abc&state=s1', null)).toThrow(/No sign-in/);
    expect(() => parseCallback('?error=access_denied&error_description=nope', pending)).toThrow(/nope/);
    expect(() => parseCallback('?state=s1', pending)).toThrow(/no authorization code/);
  });
});

describe('tokens', () => {
  it('keeps the refresh and id token of the previous answer when a refresh omits them', () => {
    const first = tokensFrom({ access_token: 'a1', refresh_token: 'r1', id_token: 'i1', expires_in: 300 }, 1000);
    expect(first.expiresAt).toBe(301_000);
    const next = tokensFrom({ access_token: 'a2', expires_in: 60 }, 2000, first);
    expect(next).toEqual({ accessToken: 'a2', refreshToken: 'r1', idToken: 'i1', expiresAt: 62_000 });
    expect(() => tokensFrom({ error: 'x' }, 0)).toThrow(SignInError);
  });
  it('refreshes within 30 seconds of expiry', () => {
    const t = { accessToken: 'a', refreshToken: 'r', idToken: null, expiresAt: 100_000 };
    expect(needsRefresh(t, 60_000)).toBe(false);
    expect(needsRefresh(t, 70_000)).toBe(true);
  });
  it('reads claims of a JWT with UTF-8 and base64url', () => {
    expect(jwtClaims(jwt({ nonce: 'n1', name: 'Zoë?>' })).name).toBe('Zoë?>');
    expect(() => jwtClaims('not-a-jwt')).toThrow(SignInError);
  });
});

describe('where to go', () => {
  it('returns only to same-origin paths', () => {
    expect(safeReturnPath('/projects/a?x=1')).toBe('/projects/a?x=1');
    for (const bad of ['https://evil.example/', '//evil.example/', '/\\evil.example', '', null, '/callback?code=1']) {
      expect(safeReturnPath(bad)).toBe('/');
    }
  });
  it('ends the Keycloak session with the id token as hint', () => {
    const tokens = { accessToken: 'a', refreshToken: 'r', idToken: 'id1', expiresAt: 0 };
    const url = new URL(endSessionUrl(endpoints, config, 'http://127.0.0.1:5000', tokens)!);
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe('http://127.0.0.1:5000/');
    expect(url.searchParams.get('id_token_hint')).toBe('id1');
    expect(endSessionUrl({ ...endpoints, endSession: null }, config, 'x', tokens)).toBeNull();
  });
});

describe('a session against a scripted Keycloak', () => {
  function keycloak(answers: Record<string, unknown>[]) {
    const requests: { url: string; body: string | null }[] = [];
    const http = async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input);
      requests.push({ url, body: init?.body ? String(init.body) : null });
      if (url.endsWith('/.well-known/openid-configuration')) {
        return Response.json({ authorization_endpoint: endpoints.authorization, token_endpoint: endpoints.token,
          end_session_endpoint: endpoints.endSession });
      }
      const next = answers.shift();
      return next ? Response.json(next) : Response.json({ error: 'invalid_grant' }, { status: 400 });
    };
    return { http: http as typeof fetch, requests };
  }

  it('signs in with the verifier it started with, and refuses an id token of another sign-in', async () => {
    const store = new MemoryStore();
    let now = 0;
    const kc = keycloak([{ access_token: 'a1', refresh_token: 'r1', id_token: 'x', expires_in: 300 }]);
    const session = new Session(config, store, kc.http, 'http://127.0.0.1:5000', () => now);
    const login = new URL(await session.loginUrl('/projects/a'));
    const started = JSON.parse(store.getItem('berth.login')!) as PendingLogin;
    expect(login.searchParams.get('code_challenge')).toBe(await codeChallenge(started.verifier));
    // The id token must carry our nonce.
    kc.requests.length = 0;
    const answer = { access_token: 'a1', refresh_token: 'r1', id_token: jwt({ nonce: started.nonce }), expires_in: 300 };
    const ok = keycloak([answer]);
    const session2 = new Session(config, store, ok.http, 'http://127.0.0.1:5000', () => now);
    expect(await session2.completeLogin(`?code=c1&state=${started.state}`)).toBe('/projects/a');
    const form = new URLSearchParams(ok.requests.at(-1)!.body!);
    expect(form.get('code_verifier')).toBe(started.verifier);
    expect(form.get('grant_type')).toBe('authorization_code');
    expect(await session2.accessToken()).toBe('a1');
    // A replayed callback finds no sign-in started.
    await expect(session2.completeLogin(`?code=c1&state=${started.state}`)).rejects.toThrow(SignInError);

    now = 280_000; // within the margin: one refresh for two waiting requests
    const refresh = keycloak([{ access_token: 'a2', expires_in: 300 }]);
    const session3 = new Session(config, store, refresh.http, 'http://127.0.0.1:5000', () => now);
    const [t1, t2] = await Promise.all([session3.accessToken(), session3.accessToken()]);
    expect([t1, t2]).toEqual(['a2', 'a2']);
    expect(refresh.requests.filter((r) => r.body?.includes('refresh_token'))).toHaveLength(1);

    now = 1_000_000; // refused refresh: signed out
    expect(await session3.accessToken()).toBeNull();
    expect(session3.signedIn()).toBe(false);
  });

  it('refuses an id token whose nonce is not this sign-in\'s', async () => {
    const store = new MemoryStore();
    store.setItem('berth.login', JSON.stringify(pending));
    const kc = keycloak([{ access_token: 'a1', id_token: jwt({ nonce: 'other' }), expires_in: 300 }]);
    const session = new Session(config, store, kc.http, 'http://127.0.0.1:5000');
    await expect(session.completeLogin('?code=c&state=s1')).rejects.toThrow(/does not belong/);
    expect(session.signedIn()).toBe(false);
  });
});
