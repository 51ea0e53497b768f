import { describe, expect, it } from 'vitest';
import type { Flow } from '../src/index.js';
import { isInlineSecret, withoutInlineSecrets } from '../src/index.js';

const flow = (params: Record<string, unknown>): Flow =>
  ({
    schemaVersion: 1,
    id: 'f',
    name: 'f',
    description: '',
    nodes: [
      { id: 't', type: 'trigger.manual', position: { x: 0, y: 0 }, params: {} },
      { id: 'h', type: 'http.request', position: { x: 200, y: 0 }, params },
    ],
    edges: [],
    settings: { timezone: 'UTC', onError: 'fail', maxSteps: 1000 },
  }) as unknown as Flow;

describe('secrets in exports', () => {
  it('empties every inline secret, however deep, and says where', () => {
    const f = flow({
      url: 'https://crm.example.com',
      headers: { Authorization: 'Bearer sk_live_123', 'x-trace': 'a' },
      auth: [{ api_key: 'k-999' }, { password: '{{ vars.pw }}' }],
    });
    const { flow: out, removed } = withoutInlineSecrets(f);
    expect(removed).toEqual(['$.nodes[1].params.headers.Authorization', '$.nodes[1].params.auth[0].api_key']);
    expect(JSON.stringify(out)).not.toContain('sk_live_123');
    expect(JSON.stringify(out)).not.toContain('k-999');
    // References and everything else stay as they were.
    expect(out.nodes[1]?.params).toEqual({
      url: 'https://crm.example.com',
      headers: { Authorization: '', 'x-trace': 'a' },
      auth: [{ api_key: '' }, { password: '{{ vars.pw }}' }],
    });
    // The flow given is not changed.
    expect((f.nodes[1]?.params.headers as Record<string, string> | undefined)?.Authorization).toBe(
      'Bearer sk_live_123',
    );
  });

  it('returns the same flow object when there is nothing to remove', () => {
    const f = flow({ url: 'https://x', token: '', secretFrom: 'env:HOOK_SECRET' });
    expect(withoutInlineSecrets(f)).toEqual({ flow: f, removed: [] });
    expect(withoutInlineSecrets(f).flow).toBe(f);
  });

  it('knows a secret from a reference', () => {
    expect(isInlineSecret('access_token', 'EAAG…')).toBe(true);
    expect(isInlineSecret('accessToken', 'EAAG…')).toBe(true);
    expect(isInlineSecret('access_token', '{{ env.TOKEN }}')).toBe(false);
    expect(isInlineSecret('access_token', '  ')).toBe(false);
    expect(isInlineSecret('title', 'password')).toBe(false);
  });
});
