import { describe, expect, it } from 'vitest';
import { escapeUnicode } from '../src/sandbox/sandbox.js';
import { signBody, verifySignature } from '../src/signature.js';

describe('X-Hub-Signature-256', () => {
  const secret = 'app-secret';
  it('verifies the raw bytes Meta signed, not a re-serialisation of them', () => {
    const raw = Buffer.from(escapeUnicode(JSON.stringify({ text: "J'ai mangé @ 🍕" })));
    expect(raw.toString()).toContain('\\u00e9');
    const header = signBody(raw, secret);
    expect(verifySignature(raw, header, secret)).toBe(true);
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(raw.toString())));
    expect(verifySignature(reserialised, header, secret)).toBe(false);
  });

  it('refuses missing, malformed, wrong-length and wrong signatures', () => {
    const raw = Buffer.from('{}');
    for (const header of [
      undefined,
      '',
      'sha1=00',
      'sha256=',
      'sha256=zz',
      `sha256=${'0'.repeat(64)}`,
      signBody(raw, 'other'),
    ]) {
      expect(verifySignature(raw, header, secret)).toBe(false);
    }
    expect(verifySignature(raw, signBody(raw, secret), '')).toBe(false);
  });
});
