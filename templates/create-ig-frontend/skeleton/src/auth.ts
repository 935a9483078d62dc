/**
 * Sign-in wiring: the identity provider redirects back with
 * `#access_token=...&expires_in=...`; the token is kept for the tab's
 * session and sent as a bearer token to the GraphQL API and to Conductor.
 * A 401 from either sends the user to sign in again.
 */
export interface Auth {
  token(): string | undefined;
  signIn(): void;
  signOut(): void;
}

export interface TokenStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const KEY = 'auth.session';

interface Session {
  token: string;
  expiresAt: number;
}

/** Reads a sign-in callback's URL fragment; undefined when it has no token. */
export function parseCallback(hash: string, now: number): Session | undefined {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const token = params.get('access_token');
  if (!token) return undefined;
  const expiresIn = Number(params.get('expires_in') ?? 3600);
  return {
    token,
    expiresAt: now + (Number.isFinite(expiresIn) ? expiresIn : 3600) * 1000,
  };
}

export function createAuth(options: {
  storage: TokenStorage;
  signInUrl: string;
  navigate: (url: string) => void;
  returnTo: string;
  now?: () => number;
}): Auth {
  const now = options.now ?? Date.now;
  return {
    token() {
      const raw = options.storage.getItem(KEY);
      if (!raw) return undefined;
      const session = JSON.parse(raw) as Session;
      if (session.expiresAt <= now()) {
        options.storage.removeItem(KEY);
        return undefined;
      }
      return session.token;
    },
    signIn() {
      const url = new URL(options.signInUrl);
      url.searchParams.set('redirect_uri', options.returnTo);
      options.navigate(url.toString());
    },
    signOut() {
      options.storage.removeItem(KEY);
    },
  };
}

/** Stores the session from a sign-in callback; true when there was one. */
export function completeSignIn(
  hash: string,
  storage: TokenStorage,
  now = Date.now(),
): boolean {
  const session = parseCallback(hash, now);
  if (session) storage.setItem(KEY, JSON.stringify(session));
  return Boolean(session);
}

/** fetch with the bearer token; on 401, signs in again and throws. */
export function authorizedFetch(auth: Auth, fetchImpl: typeof fetch = fetch) {
  return async (input: string, init: RequestInit = {}) => {
    const token = auth.token();
    const headers = new Headers(init.headers);
    if (token) headers.set('authorization', `Bearer ${token}`);
    const res = await fetchImpl(input, { ...init, headers });
    if (res.status === 401) {
      auth.signIn();
      throw new Error('signed out: sign in again');
    }
    return res;
  };
}
