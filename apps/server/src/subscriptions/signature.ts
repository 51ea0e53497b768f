import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Receivers should refuse a signature older than this (what stops a captured delivery being replayed). */
export const SIGNATURE_TOLERANCE_S = 300;

/** A new signing secret: `whsec_` and 32 random bytes, base64url. */
export function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/**
 * The `X-Switchboard-Signature` header (Stripe-style): `t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "<t>.<body>" with the subscription's secret>`. Signing the time with the body lets a receiver refuse
 * old deliveries without trusting a separate header.
 */
export function signatureHeader(secret: string, timestamp: number, body: string): string {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${v1}`;
}

/**
 * What a receiver does (docs/integrations.md shows the same in a few lines): true when the header signs
 * this exact body with this secret and its time is within `toleranceS` of `nowS`.
 */
export function verifySignature(
  secret: string,
  header: string,
  body: string,
  nowS: number = Math.floor(Date.now() / 1000),
  toleranceS: number = SIGNATURE_TOLERANCE_S,
): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1 || Math.abs(nowS - t) > toleranceS) return false;
  const expected = Buffer.from(signatureHeader(secret, t, body).split('v1=')[1]!, 'hex');
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
