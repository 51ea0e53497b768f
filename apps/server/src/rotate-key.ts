import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuditRepository, closeDb, type Db, openDb } from '@switchboard/db';
import { SYSTEM } from './audit/recorder.js';
import type { Config } from './config.js';
import { acquireLock } from './process-lock.js';
import { KEY_FILE, keyFileText, PENDING_KEY_FILE, parseKey, Vault } from './vault.js';

/** Rotation cannot go ahead (nothing was changed); the message says why. */
export class RotateKeyError extends Error {}

/** Every column that holds a value sealed by the vault: `table.column`, keyed by `key`. */
const SEALED = [
  { table: 'channels', key: 'id', column: 'secrets', what: 'channel' },
  { table: 'credentials', key: 'name', column: 'data', what: 'credential' },
] as const;

export interface RotateKeyResult {
  /** Values re-encrypted, by table. */
  counts: Record<(typeof SEALED)[number]['table'], number>;
  /** Where the key lives: the environment variable, or the key file. */
  keySource: 'env' | 'file';
  /** The old key file, kept (mode 0600) until the operator deletes it. */
  oldKeyFile?: string;
  /** An interrupted rotation was finished instead (its new key was already in use). */
  resumed?: boolean;
}

function sealedRows(db: Db, t: (typeof SEALED)[number]): Array<{ id: string; sealed: string }> {
  return db.$client
    .prepare(`SELECT "${t.key}" AS id, "${t.column}" AS sealed FROM "${t.table}"`)
    .all() as Array<{
    id: string;
    sealed: string;
  }>;
}

/** True when the vault opens every sealed value. */
function opensAll(db: Db, vault: Vault): boolean {
  for (const t of SEALED) {
    for (const row of sealedRows(db, t)) {
      try {
        vault.decrypt(row.sealed);
      } catch {
        return false;
      }
    }
  }
  return true;
}

function sameKey(a: Vault, b: Vault): boolean {
  try {
    return b.decrypt(a.encrypt('same key?')) === 'same key?';
  } catch {
    return false;
  }
}

const stamp = (at: Date) => at.toISOString().replace(/[:.]/g, '-');

/**
 * `switchboard rotate-key`: with the server stopped (its process lock taken), re-encrypts every sealed
 * value (channels' secrets, credentials' data) from the current key to a new one in one transaction.
 *
 * Key file: the new key (given, or generated) is written to `secret.key.new` first; after the commit the
 * old file is kept as `secret.key.old-<time>` and the new one becomes `secret.key`. A run interrupted in
 * between is finished by running the command again. SWITCHBOARD_ENCRYPTION_KEY: the new key must be
 * given (`newKey`), and the operator then updates the variable.
 */
export function rotateKey(config: Config, options: { newKey?: string; now?: Date } = {}): RotateKeyResult {
  const now = options.now ?? new Date();
  const fromEnv = config.encryptionKey !== undefined;
  if (fromEnv && options.newKey === undefined)
    throw new RotateKeyError(
      'SWITCHBOARD_ENCRYPTION_KEY is set: give the new key with --new-key <64 hex digits or base64> (e.g. from `openssl rand -hex 32`)',
    );
  let next: Buffer | undefined;
  if (options.newKey !== undefined) {
    try {
      next = parseKey(options.newKey);
    } catch (error) {
      throw new RotateKeyError(`--new-key: ${(error as Error).message}`);
    }
  }
  const keyFile = join(config.dataDir, KEY_FILE);
  const pendingFile = join(config.dataDir, PENDING_KEY_FILE);
  if (!fromEnv && !existsSync(keyFile))
    throw new RotateKeyError(
      `there is no key in ${config.dataDir} (no ${KEY_FILE}, no SWITCHBOARD_ENCRYPTION_KEY): nothing to rotate`,
    );

  const lock = acquireLock(config.dataDir);
  let db: Db | undefined;
  let wrotePending = false;
  let committed = false;
  try {
    db = openDb({ path: config.dbPath, synchronous: 'full' });
    const current = Vault.open(config.dataDir, config.encryptionKey);
    const source = fromEnv ? 'SWITCHBOARD_ENCRYPTION_KEY' : keyFile;

    if (!fromEnv && existsSync(pendingFile)) {
      const pending = Vault.fromKey(parseKey(readFileSync(pendingFile, 'utf8')), pendingFile);
      if (!opensAll(db, current) && opensAll(db, pending)) {
        // The last run committed, then stopped before swapping the files: finish that.
        const oldKeyFile = `${keyFile}.old-${stamp(now)}`;
        renameSync(keyFile, oldKeyFile);
        chmodSync(oldKeyFile, 0o600);
        renameSync(pendingFile, keyFile);
        return { counts: { channels: 0, credentials: 0 }, keySource: 'file', oldKeyFile, resumed: true };
      }
      // A leftover from a run that changed nothing.
      rmSync(pendingFile, { force: true });
    }

    const key = next ?? randomBytes(32);
    const replacement = Vault.fromKey(key, 'the new key');
    if (sameKey(current, replacement))
      throw new RotateKeyError(`--new-key is the key in use (${source}): give a different one`);
    if (!fromEnv) {
      writeFileSync(pendingFile, keyFileText(key), { mode: 0o600 });
      wrotePending = true;
    }

    const counts = { channels: 0, credentials: 0 };
    const client = db.$client;
    // Overwrite freed pages, so old ciphertext does not linger in the file.
    client.pragma('secure_delete = ON');
    const audit = new AuditRepository(db);
    const actor = SYSTEM('cli (rotate-key)');
    client.transaction(() => {
      for (const t of SEALED) {
        const update = client.prepare(`UPDATE "${t.table}" SET "${t.column}" = ? WHERE "${t.key}" = ?`);
        for (const row of sealedRows(db!, t)) {
          let plain: string;
          try {
            plain = current.decrypt(row.sealed);
          } catch {
            throw new RotateKeyError(
              `${t.what} "${row.id}" cannot be decrypted with the current key (${source}); nothing was changed. ` +
                `Store that ${t.what} again (or delete it) with the server running, then rotate`,
            );
          }
          const sealed = replacement.encrypt(plain);
          if (replacement.decrypt(sealed) !== plain) throw new RotateKeyError('re-encryption check failed');
          update.run(sealed, row.id);
          counts[t.table]++;
        }
      }
      audit.insert({
        at: now.toISOString(),
        actorKind: actor.kind,
        actorId: actor.id,
        actorLabel: actor.label,
        action: 'vault.key_rotated',
        targetKind: 'vault',
        targetId: null,
        ip: null,
        data: { ...counts, keySource: fromEnv ? 'env' : 'file' },
      });
    })();
    committed = true;
    client.pragma('wal_checkpoint(TRUNCATE)');

    if (fromEnv) return { counts, keySource: 'env' };
    const oldKeyFile = `${keyFile}.old-${stamp(now)}`;
    renameSync(keyFile, oldKeyFile);
    chmodSync(oldKeyFile, 0o600);
    renameSync(pendingFile, keyFile);
    return { counts, keySource: 'file', oldKeyFile };
  } catch (error) {
    // Nothing committed: the pending key must not be mistaken for one in use.
    if (wrotePending && !committed) rmSync(pendingFile, { force: true });
    throw error;
  } finally {
    if (db) closeDb(db);
    lock.release();
  }
}
