import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Encrypts secrets at rest with AES-256-GCM. The key is SWITCHBOARD_ENCRYPTION_KEY, or a key file
 * created with mode 0600 in the data dir on first start. Ciphertext is `v1:<iv>:<tag>:<data>` (base64).
 */
export class Vault {
  private constructor(private readonly key: Buffer) {}

  static open(dataDir: string, fromEnv: string | undefined): Vault {
    if (fromEnv) return new Vault(Buffer.from(fromEnv, /^[0-9a-fA-F]{64}$/.test(fromEnv) ? 'hex' : 'base64'));
    const file = join(dataDir, 'secret.key');
    if (existsSync(file)) return new Vault(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64'));
    mkdirSync(dataDir, { recursive: true });
    const key = randomBytes(32);
    writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    return new Vault(key);
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
}
