import { useEffect, useSyncExternalStore } from 'react';
import type { TemplateComponent, TemplateSlots } from '../templates/slots';
import { api } from './client';
import type { CredentialInfo, TeamRecord } from './types';

export interface LookupState<T> {
  /** null until the first answer. */
  items: readonly T[] | null;
  /** Why the last load failed (the list kept is the previous one, if any). */
  error: string | null;
  loading: boolean;
}

export interface Lookup<T> extends LookupState<T> {
  /** Fetches the list again now (after creating a credential or a team through the API, say). */
  reload(): void;
}

/** A list is fetched again when a picker opens and it is older than this. */
const MAX_AGE_MS = 30_000;

/**
 * A server list the inspector's pickers share (`GET /api/credentials`, `GET /api/teams`): fetched once
 * for all the fields that show it, again when a picker opens on a list older than half a minute, or on
 * demand. Every field subscribes to the same state, so one answer updates them all.
 */
class ServerList<T> {
  private state: LookupState<T> = { items: null, error: null, loading: false };
  private fetchedAt = 0;
  private inflight = false;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly path: string) {}

  readonly subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  readonly snapshot = () => this.state;

  readonly load = (force: boolean) => {
    if (this.inflight) return;
    if (!force && this.state.items !== null && Date.now() - this.fetchedAt < MAX_AGE_MS) return;
    this.inflight = true;
    this.publish({ ...this.state, loading: true });
    api.get<{ items: T[] }>(this.path).then(
      (answer) => {
        this.inflight = false;
        this.fetchedAt = Date.now();
        this.publish({ items: answer.items, error: null, loading: false });
      },
      (error: unknown) => {
        this.inflight = false;
        const message = error instanceof Error ? error.message : String(error);
        this.publish({ items: this.state.items, error: message, loading: false });
      },
    );
  };

  private publish(next: LookupState<T>) {
    this.state = next;
    for (const l of this.listeners) l();
  }
}

/** A template as the template fields read it from `GET /api/templates`. */
export interface TemplateInfo {
  channelId: string;
  name: string;
  language: string;
  category: string;
  status: string;
  components: TemplateComponent[];
  parameters: TemplateSlots;
}

const credentials = new ServerList<CredentialInfo>('/api/credentials');
const templates = new ServerList<TemplateInfo>('/api/templates');
const teams = new ServerList<TeamRecord>('/api/teams');

function useServerList<T>(list: ServerList<T>): Lookup<T> {
  const state = useSyncExternalStore(list.subscribe, list.snapshot);
  useEffect(() => list.load(false), [list]);
  return { ...state, reload: () => list.load(true) };
}

/** Stored credentials (name and type; the server never returns their data). */
export function useCredentials(): Lookup<CredentialInfo> {
  return useServerList(credentials);
}

/** Teams, for the team fields of routing nodes. */
export function useTeams(): Lookup<TeamRecord> {
  return useServerList(teams);
}

/** WhatsApp message templates (every status), for the template-name fields of the messaging nodes. */
export function useTemplates(): Lookup<TemplateInfo> {
  return useServerList(templates);
}
