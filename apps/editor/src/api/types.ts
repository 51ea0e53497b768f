import type { Flow, NodeCatalogEntry, RunSummary, StepRecord } from '@switchboard/flow-schema';
import type { ApiProblem } from './client';

/** A flow as `GET /api/flows` lists it. */
export interface FlowRecord {
  id: string;
  name: string;
  description: string;
  active: boolean;
  /** The latest version has no errors (drafts may have some). */
  valid?: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
  nextRunAt: string | null;
}

export interface FlowWithDocument extends FlowRecord {
  document: Flow;
}

export interface SaveAnswer {
  flow: FlowRecord;
  warnings: ApiProblem[];
  problems?: ApiProblem[];
}

export interface Execution extends RunSummary {
  steps: StepRecord[];
}

export type { NodeCatalogEntry, RunSummary, StepRecord };

/** A stored credential as `GET /api/credentials` lists it: never its data. */
export interface CredentialInfo {
  name: string;
  /** hubspot, bitrix24, slack, httpBearer, httpBasic or httpHeader. */
  type: string;
  createdAt: string;
  updatedAt: string;
  lastUsedAt: string | null;
}

/** A team as `GET /api/teams` lists it. */
export interface TeamRecord {
  id: string;
  name: string;
  timezone: string;
  /** Whether the team takes conversations now (its hours and holidays). */
  openNow: boolean;
  slackCredential: string | null;
  escalationTeam: string | null;
  createdAt: string;
  updatedAt: string;
}
