import { z } from 'zod';
import type { Json } from './json.js';

/** queued → running → (waiting ↔ running)* → succeeded | failed | cancelled */
export const RunStatus = z.enum(['queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled']);
export type RunStatus = z.infer<typeof RunStatus>;
export const FINAL_RUN_STATUSES: readonly RunStatus[] = ['succeeded', 'failed', 'cancelled'];

export const StepStatus = z.enum(['running', 'succeeded', 'failed', 'waiting']);
export type StepStatus = z.infer<typeof StepStatus>;

export const StepError = z.object({
  message: z.string(),
  code: z.string().optional(),
  /** False when retrying cannot help (bad input, policy refusal). */
  retryable: z.boolean().optional(),
});
export type StepError = z.infer<typeof StepError>;

/** One attempt of one node in one run, as shown by `GET /api/executions/:id`. */
export const StepRecord = z.object({
  id: z.string(),
  runId: z.string(),
  seq: z.int(),
  nodeId: z.string(),
  nodeType: z.string(),
  attempt: z.int(),
  status: StepStatus,
  /** Output ports the step emitted on. */
  ports: z.array(z.string()),
  input: z.unknown(),
  output: z.unknown(),
  error: StepError.nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
});
export type StepRecord = z.infer<typeof StepRecord>;

export const RunSummary = z.object({
  id: z.string(),
  flowId: z.string(),
  flowVersion: z.int(),
  status: RunStatus,
  triggerNodeId: z.string(),
  contactId: z.string().nullable(),
  error: StepError.nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  /** When a waiting run wakes up next (delay, retry backoff, reply timeout). */
  wakeAt: z.string().nullable(),
});
export type RunSummary = z.infer<typeof RunSummary>;

// Records that cross the engine/store boundary. The engine's `RunStore` and the database
// repositories both use these, so neither has to import the other.

/** Who holds a run right now; every write checks it so two workers never drive one run. */
export interface Lease {
  runId: string;
  owner: string;
}

export interface StepStart {
  id: string;
  runId: string;
  seq: number;
  nodeId: string;
  nodeType: string;
  attempt: number;
  input: Json;
  startedAt: string;
}

export interface StepFinish {
  id: string;
  status: Exclude<StepStatus, 'running'>;
  ports: string[];
  output: Json;
  error: StepError | null;
  finishedAt: string;
  durationMs: number;
}

/** A parked branch as stored: woken at `wakeAt`, or when something delivers `wakeKey`. */
export interface WaitRow {
  token: string;
  wakeAt: string | null;
  wakeKey: string | null;
}
