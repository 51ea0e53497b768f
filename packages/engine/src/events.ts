import type { RunStatus, StepError, StepStatus } from '@switchboard/flow-schema';

/** What the engine tells observers (SSE to the editor, metrics, logs). */
export type EngineEvent =
  | { type: 'run.created'; runId: string; flowId: string }
  | { type: 'node.started'; runId: string; flowId: string; nodeId: string; nodeType: string; attempt: number }
  | {
      type: 'node.finished';
      runId: string;
      flowId: string;
      nodeId: string;
      nodeType: string;
      status: Exclude<StepStatus, 'running'>;
      ports: string[];
      durationMs: number;
      error: StepError | null;
    }
  | { type: 'run.waiting'; runId: string; flowId: string; wakeAt: string | null }
  | { type: 'run.finished'; runId: string; flowId: string; status: RunStatus; error: StepError | null };

export type EngineListener = (event: EngineEvent) => void;

export class EventBus {
  private readonly listeners = new Set<EngineListener>();

  on(listener: EngineListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: EngineEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // An observer's bug must never break a run.
      }
    }
  }
}
