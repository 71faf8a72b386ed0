// The console's one way to berth's management API: same-origin /api/v1 with the Keycloak access
// token as Bearer. Errors come back in berth's shape {"errors":[{"code","message"}]} (docs/errors.md)
// and are thrown as ApiError, which every page shows in its error state.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }

  /** A service that is down or being restarted (503), or a path no service serves here (404 on /api/v1 with no route). */
  get unavailable(): boolean {
    return this.status === 503 || this.status === 502;
  }
}

/** The words of anything thrown, to show in place: the API's message (an ApiError is an Error), or the exception's. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Reads berth's error body; anything else (a proxy's HTML page, nothing) still gives a clear message. */
export async function errorOf(answer: Response): Promise<ApiError> {
  let code = 'UNKNOWN';
  let message = `The server answered ${answer.status} ${answer.statusText}`.trim();
  try {
    const body = await answer.json();
    const first = body?.errors?.[0];
    if (first) {
      code = String(first.code ?? code);
      message = String(first.message ?? message);
    } else if (body?.error) {
      code = String(body.error);
      message = String(body.error_description ?? body.error);
    }
  } catch {
    // not JSON: keep the status line
  }
  const retry = retryAfterSeconds(answer.headers.get('Retry-After'));
  return new ApiError(answer.status, code, message, retry !== null && retry > 0 ? retry : null);
}

/** A Retry-After header in seconds, or null without one (or for the HTTP-date form). */
function retryAfterSeconds(header: string | null): number | null {
  const value = header?.trim() ?? '';
  return /^\d+$/.test(value) ? Number(value) : null;
}

export interface Page<T> {
  items: T[];
  /** X-Total-Count when the API sends it, else the number of items. */
  total: number;
}

export interface TokenSource {
  accessToken(): Promise<string | null>;
  refresh(): Promise<unknown>;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export function withQuery(path: string, query?: Query): string {
  if (!query) {
    return path;
  }
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== null && value !== undefined && value !== '') {
      params.set(key, String(value));
    }
  }
  const text = params.toString();
  return text ? `${path}${path.includes('?') ? '&' : '?'}${text}` : path;
}

/** Encodes each segment of a path part that may hold slashes (repository names), keeping the slashes. */
export function segments(name: string): string {
  return name.split('/').map(encodeURIComponent).join('/');
}

/** The longest a read waits before asking once more after a 502 or 503. */
export const MAX_RETRY_SECONDS = 5;

/**
 * How long to wait before reading again after a 502 or 503: the answer's Retry-After in seconds
 * (berth sends one with every 503), one second without it (or as an HTTP date), at most
 * MAX_RETRY_SECONDS, so that a page never hangs on a long outage: it shows the error instead.
 */
export function retryDelaySeconds(retryAfter: string | null): number {
  return Math.min(retryAfterSeconds(retryAfter) ?? 1, MAX_RETRY_SECONDS);
}

export class Api {
  constructor(
    private readonly tokens: TokenSource,
    private readonly onSignedOut: () => void,
    private readonly http: typeof fetch = (...args) => fetch(...args),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((done) => setTimeout(done, ms)),
  ) {}

  async request(method: string, path: string, body?: unknown, accept = 'application/json'): Promise<Response> {
    let answer = await this.send(method, path, body, accept);
    // A service restarting, or one of its dependencies missing a beat: a read is asked once more
    // after the Retry-After berth sends. A write is not (it may have happened); its page says so.
    if ((answer.status === 502 || answer.status === 503) && (method === 'GET' || method === 'HEAD')) {
      await this.sleep(retryDelaySeconds(answer.headers.get('Retry-After')) * 1000);
      answer = await this.send(method, path, body, accept);
    }
    if (answer.status === 401) {
      // The token may have expired between the check and the request: one refresh, then sign in.
      await this.tokens.refresh();
      answer = await this.send(method, path, body, accept);
      if (answer.status === 401) {
        this.onSignedOut();
      }
    }
    if (!answer.ok) {
      throw await errorOf(answer);
    }
    return answer;
  }

  private async send(method: string, path: string, body: unknown, accept: string): Promise<Response> {
    const headers: Record<string, string> = { Accept: accept };
    const token = await this.tokens.accessToken();
    if (token) {
      headers.Authorization = `Bearer ${token}`;
    }
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    return this.http(path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'omit',
    });
  }

  async get<T>(path: string, query?: Query): Promise<T> {
    return (await this.request('GET', withQuery(path, query))).json();
  }

  /**
   * A text/plain document (a gc run's or a replication task's log): those resources answer only
   * text, and 406 to an Accept of JSON alone; their errors still come as JSON.
   */
  async text(path: string, query?: Query): Promise<string> {
    return (await this.request('GET', withQuery(path, query), undefined, 'text/plain, application/json;q=0.5')).text();
  }

  /** A list, with the total the API counts (X-Total-Count) for paging. */
  async page<T>(path: string, query?: Query): Promise<Page<T>> {
    const answer = await this.request('GET', withQuery(path, query));
    const items = (await answer.json()) as T[];
    const total = Number(answer.headers.get('X-Total-Count'));
    return { items, total: Number.isFinite(total) && answer.headers.has('X-Total-Count') ? total : items.length };
  }

  async post<T>(path: string, body?: unknown): Promise<T | null> {
    return this.bodyOf<T>(await this.request('POST', path, body ?? {}));
  }

  async put<T>(path: string, body: unknown): Promise<T | null> {
    return this.bodyOf<T>(await this.request('PUT', path, body));
  }

  async delete(path: string): Promise<void> {
    await this.request('DELETE', path);
  }

  private async bodyOf<T>(answer: Response): Promise<T | null> {
    const text = await answer.text();
    return text ? (JSON.parse(text) as T) : null;
  }
}
