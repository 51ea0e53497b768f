import type { Repositories } from '@switchboard/db';
import { type Json, readPath } from '@switchboard/engine';
import type { Flow } from '@switchboard/flow-schema';
import { type HooksService, hookKey, hookMatches } from '@switchboard/nodes';
import type { Runtime } from '../runtime.js';

/** What a run waiting on a webhook receives. */
export interface HookDelivery {
  path: string;
  body: unknown;
  query?: unknown;
  receivedAt: string;
}

/**
 * Delivers `hook:<path>:<field>=<value>` keys for one posted body: each open wait on the path names the
 * field it correlates on in its key, so no flow definition is read, and one exact key per field is
 * fired however many runs wait. Runs in the dispatcher's transaction, the one that marks the stored
 * delivery processed.
 */
export async function deliverHookKeys(
  r: Pick<Repositories, 'runReads' | 'runs'>,
  delivery: HookDelivery,
  now: Date,
): Promise<string[]> {
  const woken: string[] = [];
  for (const field of await r.runReads.openHookFields(delivery.path)) {
    const value = readPath(delivery.body, field);
    if (value === null || value === undefined || typeof value === 'object') continue;
    const key = hookKey(delivery.path, field, String(value));
    woken.push(...(await r.runs.fireWaits({ key, payload: delivery as unknown as Json, now })));
  }
  return woken;
}

/** The earliest matching delivery since `since` (the run's start), for a wait that parks after it came. */
export async function findHookDelivery(
  reads: Repositories['runReads'],
  args: { path: string; field: string; equals: string; since: string },
): Promise<HookDelivery | undefined> {
  const found = (await reads.hooksSince({ path: args.path, since: args.since })).find((d) =>
    hookMatches(d.body, args.field, args.equals),
  );
  return found && { path: args.path, ...found };
}

export function hooksService(deps: Pick<Runtime, 'database' | 'store'>): HooksService {
  return {
    async find({ path, field, equals, runId }) {
      const run = await deps.store.getRun(runId);
      if (!run) return null;
      const found = await findHookDelivery(deps.database.repos.runReads, {
        path,
        field,
        equals,
        since: run.createdAt,
      });
      return (found as unknown as Json) ?? null;
    },
  };
}

const activeWaitNodes = new WeakMap<object, { generation: number; byPath: Map<string, HookListener[]> }>();

/** A flow node that accepts deliveries on a path, and the secret it wants them signed with. */
export interface HookListener {
  flowId: string;
  secretFrom: string | undefined;
}

function waitNodesOn(flow: Flow | undefined, path: string): HookListener[] {
  return (flow?.nodes ?? []).flatMap((node) => {
    const p = node.params as { event?: string; path?: string; secretFrom?: string };
    return node.type === 'flow.waitForEvent' && p.event === 'webhook' && p.path === path
      ? [{ flowId: flow!.id, secretFrom: p.secretFrom }]
      : [];
  });
}

/**
 * Who else listens on `/hooks/<path>` besides webhook triggers: "wait for an event" nodes of active
 * flows (cached until a flow changes), and those of the flow versions whose runs are parked on the path
 * right now (a flow switched off after its run parked still gets its delivery, signed as it asked).
 */
export async function hookWaiters(
  rt: Pick<Runtime, 'database' | 'flows'>,
  path: string,
): Promise<HookListener[]> {
  await rt.flows.sync();
  const { repo, generation } = rt.flows;
  let cache = activeWaitNodes.get(rt.flows);
  if (cache?.generation !== generation) {
    const byPath = new Map<string, HookListener[]>();
    for (const record of await repo.list({ active: true })) {
      const flow = rt.flows.validate(await repo.getVersion(record.id, record.version)).flow;
      for (const node of flow?.nodes ?? []) {
        const p = node.params as { event?: string; path?: string; secretFrom?: string };
        if (node.type !== 'flow.waitForEvent' || p.event !== 'webhook' || !p.path) continue;
        byPath.set(p.path, [...(byPath.get(p.path) ?? []), { flowId: record.id, secretFrom: p.secretFrom }]);
      }
    }
    cache = { generation, byPath };
    activeWaitNodes.set(rt.flows, cache);
  }
  const listeners = [...(cache.byPath.get(path) ?? [])];
  for (const run of await rt.database.repos.runReads.openWaitFlows(`hook:${path}:`)) {
    const found = waitNodesOn(await rt.flows.getFlow(run.flowId, run.flowVersion), path);
    // A parked run always listens, even if its node is not found in its version: it counts, unsigned.
    listeners.push(...(found.length > 0 ? found : [{ flowId: run.flowId, secretFrom: undefined }]));
  }
  return listeners;
}
