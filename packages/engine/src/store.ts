import type {
  Lease,
  RunStatus,
  RunSummary,
  StepError,
  StepFinish,
  StepRecord,
  StepStart,
  WaitRow,
} from '@switchboard/flow-schema';
import type { Json } from './json.js';
import type { RunState } from './state.js';

export type { Lease, StepFinish, StepStart, WaitRow };

export interface NewRun {
  id: string;
  flowId: string;
  flowVersion: number;
  triggerNodeId: string;
  contactId: string | null;
  createdAt: string;
  state: RunState;
  /** The trigger's step, already succeeded: stored with the run (see firedTrigger). */
  triggerStep?: StepRecord;
}

export interface ClaimedRun extends RunSummary {
  state: RunState;
  /** Keyed waits that were delivered while the run was parked: token → payload. */
  firedWaits: Array<{ token: string; payload: Json }>;
  /**
   * Timed waits whose stored wake time has come, by token. The wait row is the truth: it is earlier
   * than the snapshot's copy when someone skipped the wait (`wakeTimedWaits`).
   */
  dueWaits?: string[];
}

export interface RunUpdate {
  status: RunStatus;
  state: RunState;
  wakeAt: string | null;
  error: StepError | null;
  finishedAt: string | null;
  /** Waits to add (a node parked) and remove (a parked node resumed). */
  addWaits: WaitRow[];
  removeWaits: string[];
}

/**
 * Persistence the engine needs. The SQLite (and later Postgres) repositories implement it; so does
 * the in-memory store in `@switchboard/engine/testing`. All of them pass one contract suite.
 */
export interface RunStore {
  createRun(run: NewRun): Promise<void>;
  /**
   * Leases up to `limit` runs that can move now: queued, waiting and due (or woken by key),
   * or running under an expired lease (its worker died). Marks stale `running` steps as interrupted.
   */
  claimRuns(args: { owner: string; now: Date; leaseMs: number; limit: number }): Promise<ClaimedRun[]>;
  /** Records that a step began (so a crash mid-step is visible); checks the lease. */
  beginStep(lease: Lease, step: StepStart): Promise<void>;
  /**
   * Atomically finishes a step and replaces the run snapshot, extending the lease, or releasing it
   * when the run parks or ends. Throws `EngineError('E004')` if the lease was lost.
   */
  commitStep(args: {
    lease: Lease;
    step: StepFinish | null;
    run: RunUpdate;
    leaseUntil: Date | null;
  }): Promise<void>;
  /** Extends a held lease while a long step runs; throws `EngineError('E004')` if it was lost. */
  renewLease(lease: Lease, until: Date): Promise<void>;
  /** Wakes every run parked on `key`; returns the ids of the runs woken. */
  fireWaits(args: { key: string; payload: Json; now: Date }): Promise<string[]>;
  /**
   * "Skip the wait": makes the timed waits (delays, reply timeouts) of a `waiting` run due at `now`, so
   * the next claim resumes them as if their time had come. Returns how many waits it moved; 0 when the
   * run is not waiting or waits on nothing timed.
   */
  wakeTimedWaits(args: { runId: string; now: Date }): Promise<number>;
  /** Cancels a run that has not finished; true if it was cancelled. */
  cancelRun(args: { runId: string; now: Date }): Promise<boolean>;
  getRun(runId: string): Promise<RunSummary | undefined>;
  getSteps(runId: string): Promise<StepRecord[]>;
}
