import type { RunOutcome } from '@switchboard/db';
import type { Json } from '@switchboard/engine';
import type { FlowsService, RunOutcomeView } from '@switchboard/nodes';
import { SIMULATOR_CHANNEL } from '../channels.js';
import type { Runtime } from '../runtime.js';

/** How deep calls may nest: a top-level run's child is at depth 1. A → B → A loops stop here. */
export const MAX_CALL_DEPTH = 5;
/** Only flows that start with this trigger can be called: the others expect their own event's payload. */
const CALLABLE_TRIGGER = 'trigger.manual';

type Deps = Pick<Runtime, 'database' | 'flows' | 'engine' | 'store' | 'registry' | 'simulator'> & {
  onStarted: () => void;
};

/**
 * The "call flow" node's view of the server: starts child runs (in one transaction with their parent
 * link, unique on the calling step's idempotency key), reports how they ended, cancels them.
 */
export function flowsService(deps: Deps): FlowsService {
  const calls = deps.database.repos.calls;
  return {
    async start(args) {
      const record = await deps.flows.repo.get(args.flowId);
      if (!record)
        return { ok: false, reason: 'not_found', message: `no flow "${args.flowId}" (is it imported?)` };
      if (args.version === 'active' && !record.active) {
        return {
          ok: false,
          reason: 'inactive',
          message: `flow "${args.flowId}" is not active: activate it, or call it with version "latest"`,
        };
      }
      if (!record.valid) {
        return {
          ok: false,
          reason: 'not_callable',
          message: `the latest version of flow "${args.flowId}" is a draft with validation errors; drafts never run`,
        };
      }
      const flow = await deps.flows.getFlow(args.flowId, record.version);
      const trigger = flow?.nodes.find((n) => deps.registry.get(n.type)?.trigger);
      if (!flow || !trigger)
        return { ok: false, reason: 'not_callable', message: `flow "${args.flowId}" is not valid` };
      if (trigger.type !== CALLABLE_TRIGGER) {
        return {
          ok: false,
          reason: 'not_callable',
          message: `flow "${args.flowId}" starts with ${trigger.type}; only flows that start with a manual trigger (${CALLABLE_TRIGGER}) can be called`,
        };
      }
      const existing = await calls.byIdempotencyKey(args.idempotencyKey);
      if (existing) {
        const run = await deps.store.getRun(existing.childRunId);
        return {
          ok: true,
          runId: existing.childRunId,
          flowId: run?.flowId ?? args.flowId,
          flowVersion: run?.flowVersion ?? record.version,
          created: false,
        };
      }
      const depth = ((await calls.get(args.parentRunId))?.depth ?? 0) + 1;
      if (depth > MAX_CALL_DEPTH) {
        const chain = [...(await calls.flowChain(args.parentRunId, MAX_CALL_DEPTH + 1)), args.flowId];
        return {
          ok: false,
          reason: 'too_deep',
          message: `call depth limit (${MAX_CALL_DEPTH}) reached: ${chain.join(' → ')}`,
        };
      }
      // A simulator run's children stay in the simulator: their trigger names its channel, so their
      // sends and contact lookups go there too, and they keep the parent's clock override.
      const simulated = await deps.simulator.isSimulatorRun(args.parentRunId);
      const parentState = simulated ? await deps.database.repos.runs.getState(args.parentRunId) : undefined;
      const clockOffsetMs = (parentState as { clockOffsetMs?: number } | undefined)?.clockOffsetMs;
      const input =
        simulated && args.input !== null && typeof args.input === 'object' && !Array.isArray(args.input)
          ? { ...args.input, channelId: SIMULATOR_CHANNEL }
          : args.input;
      const run = deps.engine.newRun({
        flow,
        flowVersion: record.version,
        payload: input,
        contactId: args.contactId,
        triggerNodeId: trigger.id,
        ...(clockOffsetMs ? { clockOffsetMs } : {}),
      });
      await deps.database.transaction(async (r) => {
        await r.runs.createRun(run);
        await r.calls.insert({
          childRunId: run.id,
          parentRunId: args.parentRunId,
          parentNodeId: args.parentNodeId,
          idempotencyKey: args.idempotencyKey,
          depth,
          createdAt: run.createdAt,
        });
      });
      deps.onStarted();
      return { ok: true, runId: run.id, flowId: flow.id, flowVersion: record.version, created: true };
    },
    async outcome({ runId }) {
      const o = await calls.outcome(runId);
      return o ? outcomeView(o) : null;
    },
    async cancel({ runId }) {
      return deps.engine.cancel(runId);
    },
  };
}

export function outcomeView(o: RunOutcome): RunOutcomeView {
  return {
    runId: o.runId,
    flowId: o.flowId,
    status: o.status,
    vars: o.vars,
    output: o.output as Json,
    error: o.error ? { message: o.error.message, ...(o.error.code ? { code: o.error.code } : {}) } : null,
  };
}
