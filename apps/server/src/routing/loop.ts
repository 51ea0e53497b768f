import type { AppLogger } from '../logger.js';
import { startLoop } from '../loop.js';
import type { Routing } from './routing.js';

/** How often the routing loop looks for due escalations and queues to drain, by default. */
export const ROUTING_POLL_MS = 1000;

/**
 * Runs `routing.tick` every `pollMs`: escalations whose SLA passed, queues of teams that opened, owed
 * Slack posts. (Queues are also drained at once by the API when an agent gets room.)
 */
export function startRoutingLoop(args: { routing: Routing; logger: AppLogger; pollMs?: number }) {
  return startLoop({
    name: 'routing',
    pollMs: args.pollMs ?? ROUTING_POLL_MS,
    onError: (error) => args.logger.error({ err: error }, 'routing tick failed'),
    tick: async () => {
      const { full } = await args.routing.tick();
      return { again: full };
    },
  });
}
