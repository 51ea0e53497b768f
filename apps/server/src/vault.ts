import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The key file in the data dir (when SWITCHBOARD_ENCRYPTION_KEY is not set). */
export const KEY_FILE = 'secret.key';
/** Written by `switchboard rotate-key` before it re-encrypts; renamed to `secret.key` once it is done. */
export const PENDING_KEY_FILE = 'secret.key.new';

/** The key does not open the stored secrets: the message says which key and what to do. */
export class VaultKeyError extends Error {
  override name = 'VaultKeyError';
}

/** A 32-byte key written as 64 hex digits or base64; throws a message naming the problem. */
export function parseKey(text: string): Buffer {
  const value = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(value)
    ? Buffer.from(value, 'hex')
    : /^[A-Za-z0-9+/]{43}=$/.test(value)
      ? Buffer.from(value, 'base64')
      : null;
  if (key?.length !== 32) throw new Error('a key must be 32 bytes, written as 64 hex digits or base64');
  return key;
}

/** How the key file holds a key. */
export function keyFileText(key: Buffer): string {
  return `${key.toString('base64')}\n`;
}

/**
 * Encrypts secrets at rest with AES-256-GCM. The key is SWITCHBOARD_ENCRYPTION_KEY, or a key file
 * created with mode 0600 in the data dir on first start. Ciphertext is `v1:<iv>:<tag>:<data>` (base64).
 */
export class Vault {
  private constructor(
    private readonly key: Buffer,
    /** Where the key came from, for messages: the variable's name or the key file's path. */
    readonly source: string,
    private readonly dataDir?: string,
  ) {}

  static open(dataDir: string, fromEnv: string | undefined): Vault {
    if (fromEnv) return new Vault(parseKey(fromEnv), 'SWITCHBOARD_ENCRYPTION_KEY', dataDir);
    const file = join(dataDir, KEY_FILE);
    if (existsSync(file)) return new Vault(parseKey(readFileSync(file, 'utf8')), file, dataDir);
    mkdirSync(dataDir, { recursive: true });
    const key = randomBytes(32);
    writeFileSync(file, keyFileText(key), { mode: 0o600, flag: 'wx' });
    return new Vault(key, file, dataDir);
  }

  /** A vault over a given key (key rotation). */
  static fromKey(key: Buffer, source: string): Vault {
    if (key.length !== 32) throw new Error('a key must be 32 bytes');
    return new Vault(key, source);
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [
      'v1',
      iv.toString('base64'),
      cipher.getAuthTag().toString('base64'),
      data.toString('base64'),
    ].join(':');
  }

  decrypt(sealed: string): string {
    const [version, iv, tag, data] = sealed.split(':');
    if (version !== 'v1' || !iv || !tag || data === undefined) throw new Error('not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
  }

  /** Like `decrypt`, but a wrong key is a `VaultKeyError` saying what to do (`what` names the value). */
  open(sealed: string, what: string): string {
    try {
      return this.decrypt(sealed);
    } catch {
      const dataDir = this.dataDir;
      const pending = dataDir !== undefined && existsSync(join(dataDir, PENDING_KEY_FILE));
      throw new VaultKeyError(
        `the encryption key (${this.source}) cannot decrypt the stored secrets of ${what}: they were sealed with another key. ` +
          'Start with the key they were sealed with (after `switchboard rotate-key`, the new key)' +
          (pending
            ? `; ${join(dataDir, PENDING_KEY_FILE)} exists, so a key rotation was interrupted: run \`switchboard rotate-key\` again to finish it`
            : ''),
      );
    }
  }
}
