import type { AsyncOf, CredentialMeta, CredentialRepository, CredentialRow } from '@switchboard/db';
import type { Vault } from '../vault.js';
import {
  CREDENTIAL_TYPES,
  type Credential,
  type CredentialInput,
  type CredentialType,
  parseCredentialData,
} from './credential-types.js';

export { applyCredential, OutboundRequestError } from './apply-credential.js';
export {
  CREDENTIAL_TYPES,
  type Credential,
  CredentialBody,
  type CredentialInput,
  CredentialName,
  type CredentialType,
  NewCredentialBody,
} from './credential-types.js';

/** What the API shows of a credential: never its data. */
export interface CredentialInfo {
  name: string;
  type: CredentialType;
  createdAt: string;
  updatedAt: string;
  lastUsedAt: string | null;
}

export type CredentialLookup = { ok: true; credential: Credential } | { ok: false; message: string };

/**
 * What the HTTP client needs: a credential by name, and a note of each use. The service's answers are
 * promises (it reads the database): await both (an in-memory source may answer at once).
 */
export interface CredentialSource {
  lookup(name: string): CredentialLookup | Promise<CredentialLookup>;
  touch(name: string, at: Date): void | Promise<void>;
}

/** Invalid data for a type: the zod issues name fields only. */
export class InvalidCredentialError extends Error {
  constructor(readonly problems: { path: string; message: string }[]) {
    super(`the credential data has ${problems.length} problem(s)`);
  }
}

type Entry = { ok: true; credential: Credential } | { ok: false; message: string };

function info(row: CredentialMeta): CredentialInfo {
  return {
    name: row.name,
    type: row.type as CredentialType,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    lastUsedAt: row.lastUsedAt,
  };
}

/**
 * Named credentials for HTTP, CRM, Slack and helpdesk nodes: encrypted at rest by the vault (name and
 * type sealed with the data, so a row edited in the database cannot turn a HubSpot token into a generic
 * one that sends anywhere), decrypted once into memory, never logged and never returned by the API.
 */
export class CredentialService implements CredentialSource {
  /** Loaded on first use, not at start-up: a server whose database lacks the table still starts. */
  private cache: Map<string, Entry> | undefined;
  /** Writes made through the service: a load that a write overtook is not kept as the cache. */
  private writes = 0;
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly repo: AsyncOf<CredentialRepository>,
    private readonly vault: Vault,
    /** `lastUsedAt` is written at most this often per credential (it is "last used", to the minute). */
    private readonly touchEveryMs = 60_000,
  ) {}

  async list(): Promise<CredentialInfo[]> {
    return (await this.repo.list()).map(info);
  }

  async info(name: string): Promise<CredentialInfo | undefined> {
    const row = await this.repo.meta(name);
    return row ? info(row) : undefined;
  }

  /** Undefined when the name is taken. Throws `InvalidCredentialError` for data that does not fit the type. */
  async create(name: string, input: CredentialInput, at: string): Promise<CredentialInfo | undefined> {
    const data = this.seal(name, input);
    const row = await this.write(() => this.repo.create({ name, type: input.type, data }, at));
    return row ? info(row) : undefined;
  }

  /** Replaces an existing credential's type and data; undefined when there is none. */
  async replace(name: string, input: CredentialInput, at: string): Promise<CredentialInfo | undefined> {
    const data = this.seal(name, input);
    const row = await this.write(() => this.repo.replace(name, { type: input.type, data }, at));
    return row ? info(row) : undefined;
  }

  /** Creates or replaces: for scripted setup (tests, seeding) where "already there" is fine. */
  async save(name: string, input: CredentialInput, at: string): Promise<CredentialInfo> {
    const data = this.seal(name, input);
    return info(await this.write(() => this.repo.upsert({ name, type: input.type, data }, at)));
  }

  async remove(name: string): Promise<boolean> {
    const removed = await this.write(() => this.repo.delete(name));
    this.touched.delete(name);
    return removed;
  }

  async lookup(name: string): Promise<CredentialLookup> {
    const cache = this.cache ?? (await this.load());
    return cache.get(name) ?? { ok: false, message: `credential "${name}" does not exist` };
  }

  /**
   * Drops the cache: the next lookup reads the credentials again. On a shared database another process
   * may have written them (the runtime calls this every few seconds there).
   */
  forget(): void {
    this.writes++;
    this.cache = undefined;
  }

  async touch(name: string, at: Date): Promise<void> {
    const last = this.touched.get(name);
    if (last !== undefined && at.getTime() - last < this.touchEveryMs) return;
    this.touched.set(name, at.getTime());
    await this.repo.touch(name, at.toISOString());
  }

  /** Every credential, decrypted; kept as the cache unless a write happened meanwhile. */
  private async load(): Promise<Map<string, Entry>> {
    const writes = this.writes;
    const rows = await this.repo.all();
    const cache = new Map(rows.map((row) => [row.name, this.open(row)]));
    if (writes === this.writes) this.cache = cache;
    return cache;
  }

  /** A write, then the cache is dropped (also when it failed: it may have written something). */
  private async write<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } finally {
      this.writes++;
      this.cache = undefined;
    }
  }

  private seal(name: string, input: CredentialInput): string {
    const parsed = parseCredentialData(input.type, input.data);
    if (!parsed.success) {
      throw new InvalidCredentialError(
        parsed.error.issues.map((i) => ({
          path: ['data', ...i.path.map(String)].join('.'),
          message: i.message,
        })),
      );
    }
    return this.vault.encrypt(JSON.stringify({ name, type: input.type, data: parsed.data }));
  }

  private open(row: CredentialRow): Entry {
    const unreadable = (why: string): Entry => ({
      ok: false,
      message: `credential "${row.name}" cannot be used: ${why}; store it again`,
    });
    let sealed: { name?: unknown; type?: unknown; data?: unknown };
    try {
      sealed = JSON.parse(this.vault.decrypt(row.data));
    } catch {
      return unreadable('it cannot be decrypted (was the encryption key changed?)');
    }
    if (sealed.name !== row.name || sealed.type !== row.type || !CREDENTIAL_TYPES.includes(row.type as never))
      return unreadable('its stored name or type does not match its sealed data');
    const parsed = parseCredentialData(row.type as CredentialType, sealed.data);
    if (!parsed.success) return unreadable(`its data no longer fits the ${row.type} type`);
    return { ok: true, credential: { name: row.name, type: row.type, data: parsed.data } as Credential };
  }
}
