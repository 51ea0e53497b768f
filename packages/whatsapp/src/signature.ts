import { createHmac, timingSafeEqual } from 'node:crypto';

/** `sha256=<hex>`: the X-Hub-Signature-256 value Meta sends for `raw` signed with `appSecret`. */
export function signBody(raw: Buffer | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(raw).digest('hex')}`;
}

/**
 * Checks X-Hub-Signature-256 over the **raw bytes** (Meta signs an escaped-unicode body, so a
 * re-serialised body would not match), comparing in constant time.
 */
export function verifySignature(raw: Buffer, header: string | undefined, appSecret: string): boolean {
  if (!header?.startsWith('sha256=') || !appSecret) return false;
  const given = Buffer.from(header.slice('sha256='.length), 'hex');
  const expected = createHmac('sha256', appSecret).update(raw).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}
