import type { StepRecord } from '@switchboard/flow-schema';
import type { NodeRunState } from '../../store/editor';

/**
 * The canvas overlay of one run: per node, the status of its latest step, every port it emitted on (a
 * node visited twice may have taken two paths), and the order in which nodes were first reached.
 * Steps may arrive in any order; `seq` is the run's own step order.
 */
export function stepsToRunState(steps: readonly StepRecord[]): Map<string, NodeRunState> {
  const bySeq = [...steps].sort((a, b) => a.seq - b.seq || a.attempt - b.attempt);
  const out = new Map<string, NodeRunState>();
  for (const step of bySeq) {
    const seen = out.get(step.nodeId);
    if (!seen) {
      out.set(step.nodeId, { status: step.status, ports: [...step.ports], order: out.size + 1 });
      continue;
    }
    const ports = [...seen.ports];
    for (const port of step.ports) if (!ports.includes(port)) ports.push(port);
    out.set(step.nodeId, { status: step.status, ports, order: seen.order });
  }
  return out;
}

/** The steps of one node in run order (a retried or revisited node has several). */
export function stepsOfNode(steps: readonly StepRecord[], nodeId: string): StepRecord[] {
  return steps.filter((s) => s.nodeId === nodeId).sort((a, b) => a.seq - b.seq || a.attempt - b.attempt);
}
