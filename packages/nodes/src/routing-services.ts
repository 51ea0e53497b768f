import type { Json } from '@switchboard/engine';

/**
 * What routing, CRM and HTTP nodes need from the host. The server implements them over its database
 * (teams, agents, conversations), its credential vault and an HTTP client; tests give in-memory fakes.
 */

export type Priority = 'low' | 'normal' | 'high' | 'urgent';
export const PRIORITIES: readonly Priority[] = ['low', 'normal', 'high', 'urgent'];

/** One opening interval of a weekly schedule (the same shape as the business-hours node's). */
export interface OpeningInterval {
  days: ('mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun')[];
  from: string;
  to: string;
}

/** A team as flows see it. */
export interface TeamView {
  /** Slug, e.g. `billing`. Flows name teams by id or by name (case- and accent-insensitive). */
  id: string;
  name: string;
  timezone: string;
  /** Null: always open. */
  businessHours: OpeningInterval[] | null;
  /** YYYY-MM-DD dates the team is closed, in its time zone. */
  holidays: string[];
  /** Name of the Slack credential (incoming-webhook URL) that posts to this team's channel. */
  slackCredential: string | null;
}

export type AssignStrategy = 'roundRobin' | 'leastOpen';

/** Where an unanswered conversation goes when its SLA passes. */
export interface Escalation {
  /** Another team to move the conversation to (its agents are tried, else it queues there). */
  team?: string | null;
  /** Post to Slack: this credential, or the team's own when `slack` is true and none is named. */
  slack?: boolean;
  slackCredential?: string | null;
}

export interface AssignRequest {
  /** The step's idempotency key: a re-run step returns the first outcome, never a second conversation. */
  idempotencyKey: string;
  runId: string;
  flowId: string;
  nodeId: string;
  contact: { waId: string; channel: string; name: string | null };
  /** Team id or name. */
  team: string;
  strategy: AssignStrategy;
  /** Only agents with every one of these skills (case-insensitive). */
  skills: string[];
  priority: Priority;
  /** First-response SLA: minutes until an unanswered conversation escalates; null: none. */
  slaMinutes: number | null;
  escalation: Escalation | null;
  /** The customer's last text, shown in lists and notifications. */
  summary: string;
}

export type AssignOutcome =
  | {
      ok: true;
      conversationId: string;
      team: { id: string; name: string };
      /** Null when the conversation waits in the team's queue. */
      agent: { id: string; name: string } | null;
      /** `assigned`: an agent has it; `queued`: it waits for one. */
      state: 'assigned' | 'queued';
      /** Why it queued: the team is closed now, or no available agent has room (or the skills). */
      queuedBecause: 'after_hours' | 'no_agent_available' | null;
      priority: Priority;
      slaDueAt: string | null;
      /** True when the contact already had an open conversation, which was reused (and re-routed). */
      reused: boolean;
    }
  | { ok: false; reason: 'unknown_team'; message: string };

export interface RoutingService {
  /** A team by id or name (case- and accent-insensitive), or null. */
  team(args: { team: string }): Promise<TeamView | null>;
  /** Opens (or reuses the contact's open) conversation in a team and assigns it to an agent if one can take it. */
  assign(args: AssignRequest): Promise<AssignOutcome>;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRequest {
  method: HttpMethod;
  /**
   * An absolute http(s) URL; or, with a credential that has a base URL (HubSpot, Bitrix24, Slack, a
   * helpdesk), a path relative to it (`/crm/v3/objects/contacts`, `crm.contact.add.json`, or '' for the
   * URL itself).
   */
  url: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** JSON (sent as application/json) or a string sent as it is. */
  body?: Json;
  /** Name of a stored credential whose auth is applied by the host (the node never sees the secret). */
  credential?: string | null;
  /** Which credential types the node accepts (e.g. ['hubspot']); another type is refused clearly. */
  credentialTypes?: readonly string[];
  timeoutMs: number;
  /** Aborts the request (the step's signal). */
  signal?: AbortSignal;
  /** The run step making the call, for the host's audit of credential use. */
  origin?: { runId?: string; nodeId?: string };
}

export type HttpOutcome =
  | { ok: true; status: number; headers: Record<string, string>; body: Json }
  | {
      ok: false;
      /**
       * `http_status`: the server answered with a non-2xx status; `timeout`, `network`: no answer;
       * `credential`: the credential is missing or of the wrong type; `refused`: the host's outbound guard
       * refused the address; `too_large`: the response passed the size limit.
       */
      reason: 'http_status' | 'timeout' | 'network' | 'credential' | 'refused' | 'too_large' | 'bad_request';
      status: number | null;
      message: string;
      body?: Json;
    };

/** Outbound HTTP for HTTP, CRM, Slack and helpdesk nodes. One request, no retries (the engine retries steps). */
export interface HttpService {
  request(args: HttpRequest): Promise<HttpOutcome>;
}

declare module '@switchboard/engine' {
  interface NodeServices {
    routing?: RoutingService;
    http?: HttpService;
  }
}
