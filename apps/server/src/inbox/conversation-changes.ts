import type { Conversation, TxRepositories } from '@switchboard/db';
import type { ConversationEvent } from './events.js';

/** A conversation a transaction changed: the last history kind written for it, and the team it left. */
export interface Touched {
  reason: string;
  fromTeamId?: string;
}

/** The history kind each named repository change writes (see ConversationRepository). */
const KIND_OF: Record<string, string> = {
  open: 'opened',
  assign: 'assigned',
  queue: 'queued',
  pickUp: 'picked_up',
  close: 'closed',
};

/**
 * Repositories that note which conversations `work` changes, for the inbox stream: every change of a
 * conversation writes a history row through one of these methods, so nothing that changes one is missed.
 */
export function recordingChanges(r: TxRepositories, touched: Map<string, Touched>): TxRepositories {
  const conversations = new Proxy(r.conversations, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      const name = String(prop);
      if (name !== 'change' && name !== 'addEvent' && !(name in KIND_OF)) return value.bind(target);
      return (...args: unknown[]) => {
        note(name, args, touched);
        return value.apply(target, args);
      };
    },
  });
  return new Proxy(r, {
    get(target, prop, receiver) {
      if (prop === 'conversations') return conversations;
      // A savepoint hands out repositories of its own: they record too.
      if (prop === 'savepoint')
        return <T>(fn: (sp: TxRepositories) => Promise<T>) =>
          target.savepoint((sp) => fn(recordingChanges(sp, touched)));
      return Reflect.get(target, prop, receiver);
    },
  });
}

function note(method: string, args: unknown[], touched: Map<string, Touched>): void {
  if (method === 'open') {
    const input = args[0] as { id: string };
    return void touched.set(input.id, { reason: 'opened' });
  }
  const id = args[0] as string;
  const prior = touched.get(id);
  if (method === 'addEvent') return void touched.set(id, { ...prior, reason: String(args[2]) });
  if (method === 'change') {
    const event = args[2] as { kind: string; data?: Record<string, unknown> } | null;
    const from = event?.kind === 'transferred' ? event.data?.from : undefined;
    return void touched.set(id, {
      ...prior,
      reason: event?.kind ?? prior?.reason ?? 'updated',
      ...(typeof from === 'string' && !prior?.fromTeamId ? { fromTeamId: from } : {}),
    });
  }
  const data = method === 'close' ? (args[2] as Record<string, unknown> | undefined) : undefined;
  const reason = data?.reason === 'handed_back' ? 'handed_back' : KIND_OF[method]!;
  touched.set(id, { ...prior, reason });
}

/** The stream's event for a conversation as it is after the commit. */
export function conversationEvent(c: Conversation, touch: Touched): ConversationEvent {
  return {
    type: 'conversation',
    id: c.id,
    teamId: c.teamId,
    agentId: c.agentId,
    state: c.state,
    reason: touch.reason,
    ...(touch.fromTeamId && touch.fromTeamId !== c.teamId ? { fromTeamId: touch.fromTeamId } : {}),
  };
}
