import { randomBytes, type ScryptOptions, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * Password hashing with scrypt, a memory-hard function (node:crypto, no native dependency): N=2^15,
 * r=8, p=1 takes 32 MiB and roughly 50–100 ms per hash, a 16-byte random salt and a 64-byte key.
 * Stored as `scrypt$N$r$p$salt$hash` (salt and hash base64url), so the cost can be raised later: a
 * stored hash is always checked with its own parameters.
 */
const N = 2 ** 15;
const R = 8;
const P = 1;
const KEY_LENGTH = 64;
const SALT_LENGTH = 16;
/** scrypt needs 128·N·r bytes; node's default `maxmem` (32 MiB) is exactly that, so leave headroom. */
const maxmem = (n: number, r: number) => 2 * 128 * n * r;
/** Stored parameters above these are refused (a tampered row must not make us allocate gigabytes). */
const MAX_N = 2 ** 20;
const MAX_R = 32;

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

/** A new password: 10 to 200 characters. */
export const Password = z
  .string({ message: 'the password is required' })
  .min(PASSWORD_MIN, `the password must be at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `the password must be at most ${PASSWORD_MAX} characters`);

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  const options: ScryptOptions = { N: n, r, p, maxmem: maxmem(n, r) };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

function format(salt: Buffer, key: Buffer): string {
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** Hashes on the libuv thread pool, so the event loop keeps serving other requests meanwhile. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  return format(salt, await derive(password, salt, N, R, P));
}

/** For start-up (the owner from the environment), where nothing else is waiting yet. */
export function hashPasswordSync(password: string): string {
  const salt = randomBytes(SALT_LENGTH);
  const key = scryptSync(password.normalize('NFC'), salt, KEY_LENGTH, {
    N,
    r: R,
    p: P,
    maxmem: maxmem(N, R),
  });
  return format(salt, key);
}

/** True when `password` matches the stored hash (constant-time comparison); false for a malformed one. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![n, r, p].every(Number.isInteger) || n < 2 || n > MAX_N || r < 1 || r > MAX_R || p < 1 || p > 16)
    return false;
  const salt = Buffer.from(parts[4]!, 'base64url');
  const expected = Buffer.from(parts[5]!, 'base64url');
  if (expected.length === 0) return false;
  const actual = await derive(password, salt, n, r, p).catch(() => undefined);
  return actual !== undefined && actual.length === expected.length && timingSafeEqual(actual, expected);
}

let dummy: Promise<string> | undefined;
/**
 * A hash of a random password, made once: sign-in checks an unknown address against it, so it costs
 * the same time as a wrong password and the answer's timing does not tell which addresses exist.
 */
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(24).toString('base64url'));
  return dummy;
}
