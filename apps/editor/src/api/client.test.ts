import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, api, onUnauthorized, parseRetryAfter, requestHeaders, setCredentials } from './client';

describe('request headers', () => {
  it('send an API key as Bearer, and no CSRF token with it', () => {
    expect(requestHeaders('POST', true, { key: 'sb_x', csrfToken: 'c1' })).toEqual({
      authorization: 'Bearer sb_x',
      'content-type': 'application/json',
    });
  });

  it("add the session's CSRF token to writes only", () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'delete']) {
      expect(requestHeaders(method, false, { key: null, csrfToken: 'c1' })).toEqual({ 'x-csrf-token': 'c1' });
    }
    expect(requestHeaders('GET', false, { key: null, csrfToken: 'c1' })).toEqual({});
    expect(requestHeaders('POST', true, { key: null, csrfToken: null })).toEqual({
      'content-type': 'application/json',
    });
  });
});

describe('Retry-After', () => {
  it('reads seconds, rounded up', () => {
    expect(parseRetryAfter('30')).toBe(30);
    expect(parseRetryAfter(' 1.2 ')).toBe(2);
  });

  it('reads an HTTP date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:45 GMT', now)).toBe(45);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', now)).toBe(0);
  });

  it('is null when missing or unreadable', () => {
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
  });
});

type Call = { url: string; init: RequestInit };
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

describe('requests in a session', () => {
  let calls: Call[];
  let answers: Response[];
  let token: string;
  let refreshes: number;

  beforeEach(() => {
    calls = [];
    answers = [];
    token = 'old';
    refreshes = 0;
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      const next = answers.shift();
      if (!next) throw new Error(`unexpected request ${url}`);
      return next;
    });
    setCredentials({
      apiKey: () => null,
      csrfToken: () => token,
      refreshCsrf: async () => {
        refreshes++;
        token = 'new';
        return token;
      },
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  const csrfOf = (call: Call | undefined) =>
    ((call?.init.headers ?? {}) as Record<string, string>)['x-csrf-token'];

  it('send the CSRF token with a write', async () => {
    answers.push(json(200, { ok: true }));
    expect(await api.post('/api/flows', { id: 'f' })).toEqual({ ok: true });
    expect(csrfOf(calls[0])).toBe('old');
    expect(calls[0]?.init.body).toBe('{"id":"f"}');
  });

  it('fetch a fresh token and send once more when the server calls it stale', async () => {
    answers.push(json(403, { error: 'csrf', message: 'stale token' }), json(200, { saved: 1 }));
    expect(await api.put('/api/flows/f', { id: 'f' })).toEqual({ saved: 1 });
    expect(refreshes).toBe(1);
    expect(calls.map(csrfOf)).toEqual(['old', 'new']);
    expect(calls[1]?.init.body).toBe('{"id":"f"}');
  });

  it('retry only once', async () => {
    answers.push(
      json(403, { error: 'csrf', message: 'stale' }),
      json(403, { error: 'csrf', message: 'still' }),
    );
    await expect(api.delete('/api/flows/f')).rejects.toMatchObject({ status: 403, code: 'csrf' });
    expect(calls).toHaveLength(2);
  });

  it('do not retry a role refusal', async () => {
    answers.push(json(403, { error: 'forbidden', message: 'viewers cannot save' }));
    const error = await api.post('/api/flows', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'forbidden', message: 'viewers cannot save' });
    expect(refreshes).toBe(0);
  });

  it('carry the wait of a 429', async () => {
    answers.push(json(429, { error: 'too_many_attempts', message: 'slow down' }, { 'retry-after': '30' }));
    await expect(api.post('/api/auth/sign-in', {})).rejects.toMatchObject({ retryAfter: 30 });
  });

  it('call a refused session a sign-out, but not a wrong password', async () => {
    const heard: string[] = [];
    const off = onUnauthorized(() => heard.push('401'));
    answers.push(json(401, { error: 'invalid_credentials', message: 'no' }));
    await expect(api.post('/api/auth/sign-in', {})).rejects.toMatchObject({ code: 'invalid_credentials' });
    expect(heard).toEqual([]);
    answers.push(json(401, { error: 'unauthorized', message: 'sign in' }));
    await expect(api.get('/api/flows')).rejects.toMatchObject({ status: 401 });
    expect(heard).toEqual(['401']);
    off();
  });

  it('send no CSRF token with an API key, and never retry then', async () => {
    setCredentials({ apiKey: () => 'sb_key' });
    answers.push(json(403, { error: 'csrf', message: 'stale' }));
    await expect(api.post('/api/flows', {})).rejects.toMatchObject({ code: 'csrf' });
    expect(calls[0]?.init.headers).toMatchObject({ authorization: 'Bearer sb_key' });
    expect(csrfOf(calls[0])).toBeUndefined();
    expect(refreshes).toBe(0);
  });
});
