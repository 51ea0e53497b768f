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
