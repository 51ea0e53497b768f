import type { RunSummary, StepRecord } from '@switchboard/flow-schema';

/**
 * The small grey lines between the bubbles: what the flow decided and why it stopped, derived from the
 * run's steps. Sends are left out (their bubbles say it), and so are plain steps that only passed on.
 */
export type SystemLine =
  | { kind: 'route'; key: string; at: string; nodeId: string; nodeType: string; port: string }
  | {
      kind: 'wait';
      key: string;
      at: string;
      nodeId: string;
      nodeType: string;
      /** What wakes it: a reply, a message status, an event, another run; null for a plain delay. */
      waitingFor: 'reply' | 'status' | 'event' | null;
      until: string | null;
    }
  | {
      kind: 'failed';
      key: string;
      at: string;
      nodeId: string;
      nodeType: string;
      code: string | null;
      message: string;
    }
  | {
      kind: 'run';
      key: string;
      at: string;
      runId: string;
      status: 'succeeded' | 'failed' | 'cancelled';
      message: string | null;
    };

export function systemLines(run: RunSummary, steps: readonly StepRecord[]): SystemLine[] {
  const lines: SystemLine[] = [];
  const ordered = [...steps].sort((a, b) => a.seq - b.seq || a.attempt - b.attempt);
  for (const step of ordered) {
    const at = step.finishedAt ?? step.startedAt;
    const base = { key: `${step.id}`, at, nodeId: step.nodeId, nodeType: step.nodeType };
    if (step.status === 'failed') {
      lines.push({
        kind: 'failed',
        ...base,
        code: step.error?.code ?? null,
        message: step.error?.message ?? '',
      });
    } else if (step.status === 'waiting') {
      const output = (step.output ?? {}) as { waitingUntil?: unknown; waitingFor?: unknown };
      lines.push({
        kind: 'wait',
        ...base,
        waitingFor: waitKind(output.waitingFor),
        until: typeof output.waitingUntil === 'string' ? output.waitingUntil : null,
      });
    } else if (step.status === 'succeeded' && isDecision(step)) {
      for (const port of step.ports) lines.push({ kind: 'route', ...base, key: `${step.id}:${port}`, port });
    }
  }
  if (run.status === 'succeeded' || run.status === 'failed' || run.status === 'cancelled') {
    lines.push({
      kind: 'run',
      key: `${run.id}:end`,
      at: run.finishedAt ?? ordered.at(-1)?.finishedAt ?? run.createdAt,
      runId: run.id,
      status: run.status,
      message: run.error?.message ?? null,
    });
  }
  return lines;
}

/** A step that chose a path: it emitted on a named port (true/false, match, open/closed, replied…). */
function isDecision(step: StepRecord): boolean {
  if (step.ports.length === 0) return false;
  return !(step.ports.length === 1 && step.ports[0] === 'out');
}

function waitKind(key: unknown): 'reply' | 'status' | 'event' | null {
  if (typeof key !== 'string') return null;
  if (key.startsWith('reply:')) return 'reply';
  if (key.startsWith('status:')) return 'status';
  return 'event';
}

export interface WordingContext {
  t: (key: string, vars?: Record<string, string | number>) => string;
  /** The node's name on the canvas (its label, or its type's title). */
  nodeTitle: (nodeId: string, nodeType: string) => string;
  /** A time of day in the user's language. */
  formatTime: (iso: string) => string;
}

/** A port's readable name: the simulator's wording, then the canvas's, then the port id itself. */
export function portLabel(port: string, t: WordingContext['t']): string {
  for (const key of [`sim.port.${port}`, `port.${port}`]) {
    const label = t(key);
    if (label !== key) return label;
  }
  return port;
}

export function wordLine(line: SystemLine, ctx: WordingContext): string {
  const { t } = ctx;
  if (line.kind === 'run') {
    if (line.status === 'succeeded') return t('sim.line.runSucceeded');
    if (line.status === 'cancelled') return t('sim.line.runCancelled');
    return line.message ? t('sim.line.runFailed', { message: line.message }) : t('sim.line.runFailedPlain');
  }
  const node = ctx.nodeTitle(line.nodeId, line.nodeType);
  if (line.kind === 'route') return t('sim.line.route', { node, port: portLabel(line.port, t) });
  if (line.kind === 'failed') {
    return line.code
      ? t('sim.line.failedCode', { node, code: line.code, message: line.message })
      : t('sim.line.failed', { node, message: line.message });
  }
  const time = line.until ? ctx.formatTime(line.until) : '';
  switch (line.waitingFor) {
    case 'reply':
      return time ? t('sim.line.waitReplyUntil', { node, time }) : t('sim.line.waitReply', { node });
    case 'status':
      return t('sim.line.waitStatus', { node });
    case 'event':
      return t('sim.line.waitEvent', { node });
    default:
      return time ? t('sim.line.waitUntil', { node, time }) : t('sim.line.waitPlain', { node });
  }
}
