import type { Flow, RunStatus } from '@switchboard/flow-schema';
import { type Clock, systemClock } from './clock.js';
import { EngineError } from './errors.js';
import { type EngineListener, EventBus } from './events.js';
import type { ExpressionEvaluator } from './expressions.js';
import { timeOrderedId } from './ids.js';
import type { Json } from './json.js';
import { type Logger, silentLogger } from './logger.js';
import type { NodeServices } from './node-api.js';
import type { NodeRegistry } from './registry.js';
import { driveRun } from './run-loop.js';
import type { ContactLookup } from './step-scope.js';
import type { NewRun, RunStore } from './store.js';
import { firedTrigger } from './trigger-step.js';

/** Where the engine reads the flow version a run was started on (versions are immutable). */
export interface FlowSource {
  getFlow(flowId: string, version: number): Promise<Flow | undefined>;
}

export interface EngineOptions {
  registry: NodeRegistry;
  store: RunStore;
  flows: FlowSource;
  clock?: Clock;
  logger?: Logger;
  services?: NodeServices;
  /** How long a claimed run stays ours without a write (renewed while steps run). Default 30 s. */
  leaseMs?: number;
  /** Identifies this worker in leases; unique per process. */
  owner?: string;
  newId?: () => string;
  random?: () => number;
  /**
   * Evaluates `{{ }}` text that is more than a path (`{{ vars.total * 1.21 }}`) and raw expression
   * params. Without it only paths resolve, and an expression fails its step with a clear E002.
   */
  expressions?: ExpressionEvaluator;
  /** The run's contact for `contact` in expressions; called only by steps whose params mention it. */
  contactOf?: ContactLookup;
}

export interface StartRunInput {
  flow: Flow;
  flowVersion: number;
  payload: Json;
  contactId?: string | null;
  /** Defaults to the flow's trigger node. */
  triggerNodeId?: string;
  /** Testing only: the run sees `now` shifted by this much (see `RunState.clockOffsetMs`). */
  clockOffsetMs?: number;
}

export type Engine = ReturnType<typeof createEngine>;

/**
 * The engine's entry point: start runs, move runs that are due (`tick`), wake runs parked on a key,
 * cancel runs. It holds no run state in memory; the store is the truth.
 */
export function createEngine(options: EngineOptions) {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const newId = options.newId ?? (() => timeOrderedId());
  const owner = options.owner ?? `worker-${newId()}`;
  const leaseMs = options.leaseMs ?? 30_000;
  const events = new EventBus();
  const flowCache = new Map<string, Flow>();
  const deps = {
    registry: options.registry,
    store: options.store,
    clock,
    events,
    logger,
    services: options.services ?? {},
    leaseMs,
    newId,
    random: options.random ?? Math.random,
    expressions: options.expressions,
    contactOf: options.contactOf,
  };

  async function loadFlow(flowId: string, version: number): Promise<Flow> {
    const key = `${flowId}@${version}`;
    let flow = flowCache.get(key);
    if (!flow) {
      flow = await options.flows.getFlow(flowId, version);
      if (!flow) throw new EngineError('E005', key);
      flowCache.set(key, flow);
    }
    return flow;
  }

  return {
    owner,
    on: (listener: EngineListener) => events.on(listener),

    /** Records a queued run; a `tick` (the scheduler) drives it. Returns the run id. */
    async startRun(input: StartRunInput): Promise<string> {
      const run = this.newRun(input);
      await options.store.createRun(run);
      events.emit({ type: 'run.created', runId: run.id, flowId: input.flow.id });
      return run.id;
    },

    /**
     * The record `startRun` stores, without storing it: for callers that must create runs inside their
     * own transaction (the event dispatcher creates them in the same commit that marks the event done).
     */
    newRun(input: StartRunInput): NewRun {
      const triggerNodeId =
        input.triggerNodeId ?? input.flow.nodes.find((n) => options.registry.get(n.type)?.trigger)?.id;
      if (!triggerNodeId) throw new EngineError('E001', `flow "${input.flow.id}" has no trigger`);
      flowCache.set(`${input.flow.id}@${input.flowVersion}`, input.flow);
      const id = newId();
      const createdAt = clock.now().toISOString();
      const { state, step } = firedTrigger({
        flow: input.flow,
        registry: options.registry,
        triggerNodeId,
        runId: id,
        stepId: newId(),
        payload: input.payload,
        at: createdAt,
      });
      return {
        id,
        flowId: input.flow.id,
        flowVersion: input.flowVersion,
        triggerNodeId,
        contactId: input.contactId ?? null,
        createdAt,
        state: input.clockOffsetMs ? { ...state, clockOffsetMs: input.clockOffsetMs } : state,
        triggerStep: step,
      };
    },

    /** Claims up to `limit` runs that can move and drives each until it parks or ends. */
    async tick(limit = 8): Promise<number> {
      const runs = await this.claim(limit);
      await Promise.all(runs);
      return runs.length;
    },

    /**
     * Claims up to `limit` runs that can move and starts driving them; one promise per run settles when
     * it parks or ends (never rejects). The scheduler uses it to keep `concurrency` runs in flight.
     */
    async claim(limit: number): Promise<Array<Promise<void>>> {
      const claimed = await options.store.claimRuns({ owner, now: clock.now(), leaseMs, limit });
      return claimed.map(async (run) => {
        try {
          await driveRun(deps, run, await loadFlow(run.flowId, run.flowVersion), owner);
        } catch (error) {
          // Lease lost or run cancelled mid-step: another worker (or the canceller) owns it now.
          logger.warn(
            { runId: run.id, err: error instanceof Error ? error.message : String(error) },
            'run stopped',
          );
        }
      });
    },

    /** Wakes runs parked on `key` (e.g. waiting for a contact's reply). */
    deliver: (key: string, payload: Json) => options.store.fireWaits({ key, payload, now: clock.now() }),

    /**
     * "Skip the wait": a waiting run's delays and reply timeouts fire now (a timeout leaves through its
     * timeout path). Returns how many timed waits were moved; 0 if the run waits on no time.
     */
    wakeNow: (runId: string) => options.store.wakeTimedWaits({ runId, now: clock.now() }),

    cancel: (runId: string) => options.store.cancelRun({ runId, now: clock.now() }),

    /** Test/CLI helper: ticks until the run parks or ends; returns its status. */
    async runUntilSettled(runId: string, maxTicks = 10_000): Promise<RunStatus> {
      for (let i = 0; i < maxTicks; i++) {
        const claimed = await this.tick();
        const run = await options.store.getRun(runId);
        if (!run) throw new EngineError('E006', runId);
        if (claimed === 0 && run.status !== 'queued' && run.status !== 'running') return run.status;
        if (claimed === 0) await new Promise((r) => setTimeout(r, 5));
      }
      throw new Error(`run ${runId} did not settle within ${maxTicks} ticks`);
    },
  };
}
