import type { SimulatorRepository } from '@switchboard/db';
import type { ActiveTrigger, FlowService } from '../flow-service.js';
import type { AppLogger } from '../logger.js';

/**
 * The dispatcher's view of the editor's simulator. Events on the `simulator` channel never reach active
 * flows: they start runs only of the flow the contact is testing (its latest saved version, active or
 * not), and a simulated message's clock override goes to the runs it starts or resumes.
 */
export interface SimulatorDispatch {
  channel: string;
  /**
   * The flow under test for a contact (and, for a simulated message, the one it was sent for, with its
   * clock override); undefined when the contact has none or its latest version is a draft.
   */
  target(waId: string | null, messageId?: string): SimulatorTarget | undefined;
  /** The clock override a simulated message was sent with (null: none). */
  clockOf(messageId: string): number | null;
  /** Gives runs woken by a simulated message its clock override (same transaction). */
  setClockOffset(runIds: readonly string[], offsetMs: number): void;
}

export interface SimulatorTarget {
  trigger: ActiveTrigger;
  /** Null: the message named no clock (runs it starts see real time; runs it resumes keep theirs). */
  clockOffsetMs: number | null;
}

export function simulatorDispatch(deps: {
  repo: SimulatorRepository;
  flows: Pick<FlowService, 'latestTrigger'>;
  logger: AppLogger;
}): SimulatorDispatch {
  const log = deps.logger.child({ component: 'simulator' });
  return {
    channel: deps.repo.channel,
    target(waId, messageId) {
      if (!waId) return undefined;
      const message = messageId ? deps.repo.message(messageId) : undefined;
      const flowId = message?.flowId ?? deps.repo.session(waId)?.flowId;
      if (!flowId) return undefined;
      const trigger = deps.flows.latestTrigger(flowId);
      if (!trigger) {
        // The message route refuses drafts up front; this is a flow saved as a draft (or deleted) since.
        log.warn({ flowId, waId }, 'simulated event ignored: the flow under test is a draft or gone');
        return undefined;
      }
      return { trigger, clockOffsetMs: message?.clockOffsetMs ?? null };
    },
    clockOf(messageId) {
      return deps.repo.message(messageId)?.clockOffsetMs ?? null;
    },
    setClockOffset(runIds, offsetMs) {
      deps.repo.setClockOffset(runIds, offsetMs);
    },
  };
}
