import type { CredentialMeta, CredentialRepository, CredentialRow } from '@switchboard/db';
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

/** What the HTTP client needs: a credential by name, and a note of each use. */
export interface CredentialSource {
  lookup(name: string): CredentialLookup;
  touch(name: string, at: Date): void;
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
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly repo: CredentialRepository,
    private readonly vault: Vault,
    /** `lastUsedAt` is written at most this often per credential (it is "last used", to the minute). */
    private readonly touchEveryMs = 60_000,
  ) {}

  list(): CredentialInfo[] {
    return this.repo.list().map(info);
  }

  info(name: string): CredentialInfo | undefined {
    const row = this.repo.meta(name);
    return row ? info(row) : undefined;
  }

  /** Undefined when the name is taken. Throws `InvalidCredentialError` for data that does not fit the type. */
  create(name: string, input: CredentialInput, at: string): CredentialInfo | undefined {
    const row = this.repo.create({ name, type: input.type, data: this.seal(name, input) }, at);
    this.cache = undefined;
    return row ? info(row) : undefined;
  }

  /** Replaces an existing credential's type and data; undefined when there is none. */
  replace(name: string, input: CredentialInput, at: string): CredentialInfo | undefined {
    const row = this.repo.replace(name, { type: input.type, data: this.seal(name, input) }, at);
    this.cache = undefined;
    return row ? info(row) : undefined;
  }

  /** Creates or replaces: for scripted setup (tests, seeding) where "already there" is fine. */
  save(name: string, input: CredentialInput, at: string): CredentialInfo {
    const row = this.repo.upsert({ name, type: input.type, data: this.seal(name, input) }, at);
    this.cache = undefined;
    return info(row);
  }

  remove(name: string): boolean {
    const removed = this.repo.delete(name);
    this.cache = undefined;
    this.touched.delete(name);
    return removed;
  }

  lookup(name: string): CredentialLookup {
    this.cache ??= new Map(this.repo.all().map((row) => [row.name, this.open(row)]));
    return this.cache.get(name) ?? { ok: false, message: `credential "${name}" does not exist` };
  }

  touch(name: string, at: Date): void {
    const last = this.touched.get(name);
    if (last !== undefined && at.getTime() - last < this.touchEveryMs) return;
    this.touched.set(name, at.getTime());
    this.repo.touch(name, at.toISOString());
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
