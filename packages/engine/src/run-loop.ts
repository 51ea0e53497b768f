import type { Flow, RetryPolicy, RunStatus, StepError } from '@switchboard/flow-schema';
import { outputPorts } from '@switchboard/flow-schema';
import type { Clock } from './clock.js';
import { EngineError } from './errors.js';
import type { EventBus } from './events.js';
import type { ExpressionEvaluator } from './expressions.js';
import { indexFlow } from './flow-index.js';
import type { Json } from './json.js';
import { type Logger, lazyChild } from './logger.js';
import type { NodeServices } from './node-api.js';
import { retryDelayMs } from './policy.js';
import type { NodeRegistry } from './registry.js';
import { route, takeNext, wakeParked } from './routing.js';
import { nextWakeAt, type RunState } from './state.js';
import { executeStep, type StepOutcome } from './step.js';
import type { ContactLookup } from './step-scope.js';
import type { ClaimedRun, Lease, RunStore, StepFinish, WaitRow } from './store.js';

export interface LoopDeps {
  registry: NodeRegistry;
  store: RunStore;
  clock: Clock;
  events: EventBus;
  logger: Logger;
  services: NodeServices;
  leaseMs: number;
  newId: () => string;
  random: () => number;
  expressions: ExpressionEvaluator | undefined;
  contactOf: ContactLookup | undefined;
}

const NO_RETRY: RetryPolicy = { maxTries: 1, backoffMs: 0, maxBackoffMs: 0, jitter: 0 };

/**
 * Drives one leased run until it parks, finishes or loses its lease. After every step the step record
 * and the new snapshot are committed together, so a crash re-runs at most the step in flight.
 */
export async function driveRun(
  deps: LoopDeps,
  claimed: ClaimedRun,
  flow: Flow,
  owner: string,
): Promise<RunStatus> {
  const { store, clock, events, registry } = deps;
  const lease: Lease = { runId: claimed.id, owner };
  const index = indexFlow(flow);
  const runInfo = {
    id: claimed.id,
    flowId: claimed.flowId,
    flowVersion: claimed.flowVersion,
    contactId: claimed.contactId,
  };
  const log = lazyChild(deps.logger, { runId: claimed.id, flowId: claimed.flowId });
  const base = { runId: claimed.id, flowId: claimed.flowId };
  const abort = new AbortController();

  // A run under a clock override (simulator) has its nodes see shifted time; the loop itself (due
  // times, leases, step timings) keeps real time.
  const offset = claimed.state.clockOffsetMs ?? 0;
  const runClock = offset ? shiftedClock(clock, offset) : clock;

  const woken = wakeParked(claimed.state, clock.now(), claimed.firedWaits, claimed.dueWaits);
  let state = woken.state;
  let removeWaits = woken.removed;
  let runError: StepError | null = claimed.error;
  /** Set when a node ended the whole run (flow.end): its status wins over what is left in the state. */
  let ended: 'succeeded' | 'failed' | null = null;

  const heartbeat = setInterval(
    () => {
      store.renewLease(lease, new Date(clock.now().getTime() + deps.leaseMs)).catch(() => abort.abort());
    },
    Math.max(50, deps.leaseMs / 3),
  );
  try {
    for (;;) {
      const now = clock.now();
      const next = takeNext(state, index, now);
      if (!next) return await settle(null);
      const { activation } = next;
      state = next.state;
      const node = index.node(activation.nodeId);
      const def = node && registry.get(node.type);
      const seq = state.seq + 1;
      const visit = (state.visits[activation.nodeId] ?? 0) + 1;
      const stepId = deps.newId();
      const startedAt = clock.now();
      const begun = store.beginStep(lease, {
        id: stepId,
        runId: claimed.id,
        seq,
        nodeId: activation.nodeId,
        nodeType: node?.type ?? 'unknown',
        attempt: activation.attempt,
        input: activation.input,
        startedAt: startedAt.toISOString(),
      });
      // A node that touches the outside world starts only once its step is durably marked begun (a
      // crash then shows it interrupted, E008). A pure node may run meanwhile: running it twice is
      // harmless, and a quick one's begin and finish then share one commit.
      if (!def || def.sideEffect) await begun;
      else begun.catch(() => {}); // awaited below, before the finish is written
      events.emit({
        type: 'node.started',
        ...base,
        nodeId: activation.nodeId,
        nodeType: node?.type ?? 'unknown',
        attempt: activation.attempt,
      });
      const outcome: StepOutcome =
        node && def
          ? await executeStep({
              def,
              node,
              activation,
              state,
              run: runInfo,
              timezone: flow.settings.timezone,
              idempotencyKey: `${claimed.id}:${activation.nodeId}${visit > 1 ? `:${visit}` : ''}`,
              signal: abort.signal,
              services: deps.services,
              clock: runClock,
              logger: lazyChild(log, { nodeId: activation.nodeId, nodeType: node.type }),
              expressions: deps.expressions,
              contactOf: deps.contactOf,
              maxTries: (node.retry ?? flow.settings.defaultRetry ?? NO_RETRY).maxTries,
            })
          : {
              kind: 'failed',
              error: {
                message: `${new EngineError('E001', node?.type ?? activation.nodeId).message}`,
                code: 'E001',
                retryable: false,
              },
            };

      state = { ...state, seq };
      const addWaits: WaitRow[] = [];
      let ports: string[] = [];
      let output: Json = null;
      let stepError: StepError | null = null;
      if (outcome.kind === 'emitted') {
        ports = Object.keys(outcome.outputs);
        output = ports.length === 1 ? outcome.outputs[ports[0]!]! : outcome.outputs;
        state = route({ ...state, vars: outcome.vars }, activation.nodeId, outcome.outputs, index, registry);
        state = {
          ...state,
          visits: { ...state.visits, [activation.nodeId]: visit },
          outputs: { ...state.outputs, [activation.nodeId]: output },
        };
      } else if (outcome.kind === 'ended') {
        // Everything else still pending in this run is dropped, and the waits of parked branches go with it.
        ended = outcome.status;
        removeWaits = [...removeWaits, ...state.parked.map((p) => p.token)];
        output = { ended: outcome.status, ...(outcome.message ? { message: outcome.message } : {}) };
        state = {
          ...state,
          vars: outcome.vars,
          ready: [],
          parked: [],
          joins: {},
          branchErrors: [],
          visits: { ...state.visits, [activation.nodeId]: visit },
          outputs: { ...state.outputs, [activation.nodeId]: output },
        };
        if (outcome.status === 'failed') {
          runError = {
            message: outcome.message ?? `ended as failed by node "${activation.nodeId}"`,
            code: 'ended',
            retryable: false,
          };
        }
      } else if (outcome.kind === 'parked') {
        const token = deps.newId();
        // A node computes its wake-up in the run's (maybe shifted) time; it is stored in real time.
        const until =
          offset && outcome.until
            ? new Date(Date.parse(outcome.until) - offset).toISOString()
            : outcome.until;
        addWaits.push({ token, wakeAt: until, wakeKey: outcome.key });
        state = {
          ...state,
          vars: outcome.vars,
          parked: [
            ...state.parked,
            {
              token,
              nodeId: activation.nodeId,
              input: activation.input,
              wakeAt: until,
              wakeKey: outcome.key,
              data: outcome.data,
            },
          ],
        };
        output = { waitingUntil: until, waitingFor: outcome.key };
      } else {
        stepError = outcome.error;
        const policy = node?.retry ?? flow.settings.defaultRetry ?? NO_RETRY;
        const retryable = outcome.error.retryable !== false && activation.attempt < policy.maxTries;
        if (retryable) {
          const delay = retryDelayMs(policy, activation.attempt + 1, deps.random);
          const notBefore = new Date(clock.now().getTime() + delay).toISOString();
          state = {
            ...state,
            ready: [...state.ready, { ...activation, attempt: activation.attempt + 1, notBefore }],
          };
        } else if (node && def && node.onError === 'errorPort') {
          ports = ['error'];
          state = route(
            state,
            activation.nodeId,
            { error: { error: { ...outcome.error }, input: activation.input } },
            index,
            registry,
          );
        } else if (node && def && node.onError === 'continue') {
          const first = outputPorts(node, def).find((p) => p !== 'error');
          ports = first ? [first] : [];
          state = route(
            state,
            activation.nodeId,
            first ? { [first]: activation.input } : {},
            index,
            registry,
          );
        } else if (flow.settings.errorPolicy === 'continueRun') {
          state = {
            ...state,
            branchErrors: [
              ...state.branchErrors,
              { nodeId: activation.nodeId, message: outcome.error.message },
            ],
          };
        } else {
          runError = {
            ...outcome.error,
            message: `node "${activation.nodeId}" failed: ${outcome.error.message}`,
          };
        }
      }
      const finishedAt = clock.now();
      const step: StepFinish = {
        id: stepId,
        status:
          outcome.kind === 'emitted' || outcome.kind === 'ended'
            ? 'succeeded'
            : outcome.kind === 'parked'
              ? 'waiting'
              : 'failed',
        ports,
        output,
        error: stepError,
        finishedAt: finishedAt.toISOString(),
        durationMs: finishedAt.getTime() - startedAt.getTime(),
      };
      await begun;
      const status = await settle(step, addWaits);
      events.emit({
        type: 'node.finished',
        ...base,
        nodeId: activation.nodeId,
        nodeType: node?.type ?? 'unknown',
        status: step.status,
        ports,
        durationMs: step.durationMs,
        error: stepError,
      });
      if (status !== 'running') {
        emitEnd(status);
        return status;
      }
    }
  } finally {
    clearInterval(heartbeat);
  }

  /** Commits the step with the run's resulting status; returns that status. */
  async function settle(step: StepFinish | null, addWaits: WaitRow[] = []): Promise<RunStatus> {
    const now = clock.now();
    const status = statusOf(state, now);
    const final = status === 'succeeded' || status === 'failed';
    await store.commitStep({
      lease,
      step,
      run: {
        status,
        state,
        wakeAt: status === 'waiting' ? nextWakeAt(state) : null,
        error: runError ?? (status === 'failed' ? branchFailure(state) : null),
        finishedAt: final ? now.toISOString() : null,
        addWaits,
        removeWaits,
      },
      leaseUntil: status === 'running' ? new Date(now.getTime() + deps.leaseMs) : null,
    });
    removeWaits = [];
    if (step === null) emitEnd(status);
    return status;
  }

  function statusOf(s: RunState, now: Date): RunStatus {
    if (runError) return 'failed';
    if (ended) return ended;
    if (takeNext(s, index, now)) return 'running';
    if (s.ready.length > 0 || s.parked.length > 0) return 'waiting';
    return s.branchErrors.length > 0 ? 'failed' : 'succeeded';
  }

  function emitEnd(status: RunStatus) {
    if (status === 'waiting') events.emit({ type: 'run.waiting', ...base, wakeAt: nextWakeAt(state) });
    else if (status !== 'running')
      events.emit({ type: 'run.finished', ...base, status, error: runError ?? branchFailure(state) });
  }
}

/** The run's view of time under a clock override: real time plus `offsetMs`. */
function shiftedClock(clock: Clock, offsetMs: number): Clock {
  return { now: () => new Date(clock.now().getTime() + offsetMs) };
}

function branchFailure(state: RunState): StepError | null {
  if (state.branchErrors.length === 0) return null;
  return { message: state.branchErrors.map((e) => `node "${e.nodeId}" failed: ${e.message}`).join('; ') };
}
