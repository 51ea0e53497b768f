import type { NodeServices } from '@switchboard/engine';
import { startLoop } from '../loop.js';
import type { Runtime } from '../runtime.js';
import { flowsService } from './call-flows.js';
import { hooksService } from './hook-waits.js';
import { waitSweeper } from './sweep.js';

export { deliverHookKeys } from './hook-waits.js';
export { WakingOutbox } from './status-waits.js';

/**
 * Wires waits on outside events into the server: the "call flow" and hook services for nodes, the
 * engine listeners that deliver `run:<id>:finished` when a run ends and settle a run's waits right after
 * it parks (an event may have come first), a sweep at start-up (for a crash between a run's end and its
 * delivery), and a slow loop for child runs that ended without the engine noticing (cancelled by hand
 * or with their flow). Status and hook keys are delivered where those changes are written.
 */
export async function installEventWaits(rt: Runtime, services: NodeServices) {
  const log = rt.logger.child({ component: 'waits' });
  const sweeper = waitSweeper({
    database: rt.database,
    onWoken: () => rt.scheduler?.nudge(),
  });
  Object.assign(services, {
    flows: flowsService({ ...rt, onStarted: () => rt.scheduler?.nudge() }),
    hooks: hooksService(rt),
  });
  rt.engine.on((e) => {
    const delivered =
      e.type === 'run.finished'
        ? sweeper.runEnded(e.runId, e.status)
        : e.type === 'run.waiting'
          ? sweeper.settle({ runId: e.runId })
          : undefined;
    delivered?.catch((error: unknown) =>
      log.error({ err: error, runId: e.runId }, 'delivering a finished event failed'),
    );
  });
  const woken = await sweeper.settle();
  if (woken.length > 0) log.info({ runs: woken.length }, 'woke runs whose awaited event happened meanwhile');
  return startLoop({
    name: 'wait-sweeper',
    pollMs: Math.max(1000, rt.config.pollMs * 10),
    onError: (error) => log.error({ err: error }, 'wait sweep failed'),
    tick: async () => {
      await sweeper.endedChildren();
      return { again: false };
    },
  });
}
