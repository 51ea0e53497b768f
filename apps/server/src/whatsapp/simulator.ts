import type { Repositories } from '@switchboard/db';
import { SIMULATOR_CHANNEL } from '../channels.js';
import type { ActiveTrigger, FlowService } from '../flow-service.js';
import type { AppLogger } from '../logger.js';

type SimulatorRepo = Repositories['simulator'];

/**
 * The dispatcher's view of the editor's simulator. Events on the `simulator` channel never reach active
 * flows: they start runs only of the flow the contact is testing (its latest saved version, active or
 * not), and a simulated message's clock override goes to the runs it starts or resumes. Each call takes
 * the simulator repository of the dispatcher's transaction.
 */
export interface SimulatorDispatch {
  channel: string;
  /**
   * The flow under test for a contact (and, for a simulated message, the one it was sent for, with its
   * clock override); undefined when the contact has none or its latest version is a draft.
   */
  target(repo: SimulatorRepo, waId: string | null, messageId?: string): Promise<SimulatorTarget | undefined>;
  /** The clock override a simulated message was sent with (null: none). */
  clockOf(repo: SimulatorRepo, messageId: string): Promise<number | null>;
  /** Gives runs woken by a simulated message its clock override (same transaction). */
  setClockOffset(repo: SimulatorRepo, runIds: readonly string[], offsetMs: number): Promise<void>;
}

export interface SimulatorTarget {
  trigger: ActiveTrigger;
  /** Null: the message named no clock (runs it starts see real time; runs it resumes keep theirs). */
  clockOffsetMs: number | null;
}

export function simulatorDispatch(deps: {
  flows: Pick<FlowService, 'latestTrigger'>;
  logger: AppLogger;
}): SimulatorDispatch {
  const log = deps.logger.child({ component: 'simulator' });
  return {
    channel: SIMULATOR_CHANNEL,
    async target(repo, waId, messageId) {
      if (!waId) return undefined;
      const message = messageId ? await repo.message(messageId) : undefined;
      const flowId = message?.flowId ?? (await repo.session(waId))?.flowId;
      if (!flowId) return undefined;
      const trigger = await deps.flows.latestTrigger(flowId);
      if (!trigger) {
        // The message route refuses drafts up front; this is a flow saved as a draft (or deleted) since.
        log.warn({ flowId, waId }, 'simulated event ignored: the flow under test is a draft or gone');
        return undefined;
      }
      return { trigger, clockOffsetMs: message?.clockOffsetMs ?? null };
    },
    async clockOf(repo, messageId) {
      return (await repo.message(messageId))?.clockOffsetMs ?? null;
    },
    async setClockOffset(repo, runIds, offsetMs) {
      await repo.setClockOffset(runIds, offsetMs);
    },
  };
}
