import { describe, expect, it, vi } from 'vitest';
import {
  authorizedFetch,
  completeSignIn,
  createAuth,
  parseCallback,
} from '../src/auth';

function memoryStorage() {
  const m = new Map<string, string>();
  return {
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k),
  };
}

describe('auth', () => {
  it('keeps the token from the sign-in callback until it expires', () => {
    const storage = memoryStorage();
    let now = 1_000;
    expect(
      completeSignIn('#access_token=abc&expires_in=60', storage, now),
    ).toBe(true);
    const auth = createAuth({
      storage,
      signInUrl: 'https://idp/start',
      navigate: vi.fn(),
      returnTo: 'https://app/',
      now: () => now,
    });
    expect(auth.token()).toBe('abc');
    now += 61_000;
    expect(auth.token()).toBeUndefined();
    expect(parseCallback('#state=x', now)).toBeUndefined();
  });

  it('sends the bearer token and signs in again on 401', async () => {
    const storage = memoryStorage();
    completeSignIn('#access_token=tok', storage);
    const navigate = vi.fn();
    const auth = createAuth({
      storage,
      signInUrl: 'https://idp/start',
      navigate,
      returnTo: 'https://app/x',
    });
    const fetch = vi
      .fn()
      .mockResolvedValueOnce(new Response('{}'))
      .mockResolvedValueOnce(new Response('', { status: 401 }));
    const call = authorizedFetch(auth, fetch);
    await call('https://api/');
    expect(
      new Headers(fetch.mock.calls[0][1].headers).get('authorization'),
    ).toBe('Bearer tok');
    await expect(call('https://api/')).rejects.toThrow('signed out');
    expect(navigate).toHaveBeenCalledWith(
      'https://idp/start?redirect_uri=https%3A%2F%2Fapp%2Fx',
    );
  });
});
