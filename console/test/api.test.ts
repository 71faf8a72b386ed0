import { describe, expect, it } from 'vitest';
import { Api, ApiError, MAX_RETRY_SECONDS, retryDelaySeconds, segments, withQuery } from '../src/lib/api';

function scripted(answers: Response[]) {
  const seen: { url: string; init: RequestInit }[] = [];
  const http = (async (url: RequestInfo | URL, init?: RequestInit) => {
    seen.push({ url: String(url), init: init ?? {} });
    return answers.shift()!;
  }) as typeof fetch;
  return { http, seen };
}

describe('the API client', () => {
  it('sends the bearer token and reads X-Total-Count', async () => {
    const { http, seen } = scripted([Response.json([{ name: 'a' }], { headers: { 'X-Total-Count': '41' } })]);
    const api = new Api({ accessToken: async () => 'tok', refresh: async () => null }, () => {}, http);
    expect(await api.page('/api/v1/x', { page: 2, page_size: 20, q: '' })).toEqual({ items: [{ name: 'a' }], total: 41 });
    expect(seen[0].url).toBe('/api/v1/x?page=2&page_size=20');
    expect((seen[0].init.headers as Record<string, string>).Authorization).toBe('Bearer tok');
  });

  it('refreshes once on 401, then signs out', async () => {
    let refreshed = 0;
    let signedOut = 0;
    const unauthorized = () => Response.json({ errors: [{ code: 'UNAUTHORIZED', message: 'expired' }] }, { status: 401 });
    const { http } = scripted([unauthorized(), unauthorized()]);
    const api = new Api({ accessToken: async () => 't', refresh: async () => { refreshed++; } }, () => { signedOut++; }, http);
    await expect(api.get('/api/v1/x')).rejects.toMatchObject({ status: 401, code: 'UNAUTHORIZED', message: 'expired' });
    expect([refreshed, signedOut]).toEqual([1, 1]);
  });

  it('turns berth errors, OAuth errors and non-JSON answers into ApiError', async () => {
    const { http } = scripted([
      Response.json({ errors: [{ code: 'FORBIDDEN', message: 'guests cannot delete' }] }, { status: 403 }),
      // Each read is asked twice (see below): the same answer both times.
      ...[1, 2].map(() => new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' })),
      ...[1, 2].map(() => Response.json({ errors: [{ code: 'UNAVAILABLE', message: 'down' }] },
        { status: 503, headers: { 'Retry-After': '5' } })),
    ]);
    const api = new Api({ accessToken: async () => null, refresh: async () => null }, () => {}, http, async () => {});
    await expect(api.delete('/api/v1/x')).rejects.toMatchObject({ status: 403, code: 'FORBIDDEN', message: 'guests cannot delete' });
    const proxy = await api.get<never>('/api/v1/y').catch((e: ApiError) => e);
    expect(proxy).toBeInstanceOf(ApiError);
    expect(proxy.message).toContain('502');
    const down = await api.get<never>('/api/v1/z').catch((e: ApiError) => e);
    expect([down.unavailable, down.retryAfter]).toEqual([true, 5]);
  });

  it('reads once more after a 503, waiting its Retry-After; never writes twice', async () => {
    const unavailable = (retryAfter?: string) => Response.json({ errors: [{ code: 'UNAVAILABLE', message: 'down' }] },
      { status: 503, headers: retryAfter ? { 'Retry-After': retryAfter } : {} });
    const { http, seen } = scripted([unavailable('3'), Response.json({ ok: 1 }), unavailable('3'), unavailable('60'),
      unavailable('60')]);
    const waits: number[] = [];
    const api = new Api({ accessToken: async () => 't', refresh: async () => null }, () => {}, http,
      async (ms) => { waits.push(ms); });
    expect(await api.get('/api/v1/a')).toEqual({ ok: 1 });
    await expect(api.post('/api/v1/b', {})).rejects.toMatchObject({ status: 503 });
    await expect(api.get('/api/v1/c')).rejects.toMatchObject({ status: 503, retryAfter: 60 });
    expect(seen.map((r) => `${r.init.method} ${r.url}`)).toEqual(
      ['GET /api/v1/a', 'GET /api/v1/a', 'POST /api/v1/b', 'GET /api/v1/c', 'GET /api/v1/c']);
    expect(waits).toEqual([3000, MAX_RETRY_SECONDS * 1000]);
  });

  it('waits Retry-After seconds, one without it, never longer than the cap', () => {
    expect([retryDelaySeconds('2'), retryDelaySeconds(null), retryDelaySeconds('Fri, 04 Dec 2026 10:00:00 GMT'),
      retryDelaySeconds('600'), retryDelaySeconds('0')]).toEqual([2, 1, 1, MAX_RETRY_SECONDS, 0]);
  });

  it('encodes path parts and queries', () => {
    expect(segments('app/web v2')).toBe('app/web%20v2');
    expect(withQuery('/a?x=1', { b: 'c d', n: null })).toBe('/a?x=1&b=c+d');
  });
});
