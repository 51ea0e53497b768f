import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The API key: `SWITCHBOARD_API_KEY` when set, else the one stored in the data dir, else a new one
 * written there (mode 0600). `created` tells the caller to print it, once.
 */
export function resolveApiKey(
  dataDir: string,
  fromEnv: string | undefined,
): { key: string; created: boolean; file?: string } {
  if (fromEnv) return { key: fromEnv, created: false };
  const file = join(dataDir, 'api-key');
  if (existsSync(file)) return { key: readFileSync(file, 'utf8').trim(), created: false, file };
  mkdirSync(dataDir, { recursive: true });
  const key = `sb_${randomBytes(24).toString('base64url')}`;
  writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  return { key, created: true, file };
}

/** Constant-time comparison, so response timing reveals nothing about the key. */
export function keyMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
