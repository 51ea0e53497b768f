import { randomUUID } from 'node:crypto';
import { GroupCommit, type OutboxRow } from '@switchboard/db';
import { timeOrderedId } from '@switchboard/engine';
import type { WhatsAppService } from '@switchboard/nodes';
import { validateOutbound } from '@switchboard/whatsapp';
import { SIMULATOR_CHANNEL } from '../channels.js';
import type { Runtime } from '../runtime.js';
import { findMessage, statusView } from '../waits/status-waits.js';
import { derivePhone } from './dispatcher.js';
import { refuseIfForbidden } from './policy-gate.js';

export type SendResult =
  | { ok: true; row: OutboxRow }
  | {
      ok: false;
      reason: string;
      message: string;
      problems?: Array<{ path: string; message: string }>;
      row?: OutboxRow;
    };

/**
 * The one way a message enters the outbox (API and flows alike): Meta's limits, then the idempotency
 * key (a repeat returns the first message and its outcome), then policy; refusals are recorded.
 */
export function sendMessage(
  rt: Pick<Runtime, 'channels' | 'contacts' | 'outbox' | 'metrics' | 'config' | 'sender'>,
  args: {
    to: string;
    channelId: string;
    message: unknown;
    idempotencyKey?: string;
    runId?: string;
    nodeId?: string;
  },
): SendResult {
  const valid = validateOutbound(args.message);
  if (!valid.ok) {
    return {
      ok: false,
      reason: 'invalid_message',
      message: valid.problems.map((p) => `${p.path}: ${p.message}`).join('; '),
      problems: valid.problems,
    };
  }
  if (!rt.channels.get(args.channelId))
    return { ok: false, reason: 'no_channel', message: `no channel "${args.channelId}"` };
  const to = args.to.replace(/^\+/, '');
  const at = new Date().toISOString();
  const contact = rt.contacts.ensure({ waId: to, channel: args.channelId, at, derive: derivePhone });
  const message = valid.message;
  const { row, created } = rt.outbox.enqueue({
    id: timeOrderedId(),
    idempotencyKey: args.idempotencyKey ?? `api:${randomUUID()}`,
    runId: args.runId ?? null,
    nodeId: args.nodeId ?? null,
    channel: args.channelId,
    recipient: to,
    kind: message.type,
    category: message.type === 'template' ? (message.category ?? null) : null,
    payload: message,
    createdAt: at,
  });
  if (!created) {
    if (row.status !== 'refused') return { ok: true, row };
    const error = row.lastError as { code?: string; message?: string } | null;
    return { ok: false, reason: String(error?.code ?? 'refused'), message: error?.message ?? 'refused', row };
  }
  const gate = {
    outbox: rt.outbox,
    metrics: rt.metrics,
    blockedPrefixes: rt.config.whatsapp.blockedPrefixes,
  };
  const refusal = refuseIfForbidden(gate, row, contact, at);
  if (refusal) {
    return { ok: false, reason: refusal.reason, message: refusal.message, row: rt.outbox.get(row.id)! };
  }
  rt.sender?.nudge();
  return { ok: true, row };
}

/**
 * The messaging nodes' view of the outbox. Sends of runs driven together are written in one commit; a
 * node goes on only once its message is durably queued or refused.
 */
export function whatsappService(rt: Runtime): WhatsAppService {
  const group = GroupCommit.of(rt.db.$client);
  return {
    async send(args) {
      // A run of the editor's simulator never reaches a real number: whatever channel a node names, it
      // sends through the simulator's (which only ever talks to the sandbox).
      const channelId =
        args.channel !== SIMULATOR_CHANNEL && args.runId && rt.simulator.isSimulatorRun(args.runId)
          ? SIMULATOR_CHANNEL
          : args.channel;
      let result: SendResult | undefined;
      await group.add(() => {
        result = sendMessage(rt, {
          to: args.to,
          channelId,
          message: args.message,
          idempotencyKey: args.idempotencyKey,
          runId: args.runId,
          nodeId: args.nodeId,
        });
      });
      if (!result) throw new Error('the send was not recorded');
      return result.ok
        ? { ok: true, messageId: result.row.id, status: result.row.status }
        : { ok: false, reason: result.reason, message: result.message };
    },
    async messageStatus({ messageId }) {
      const row = findMessage(rt.db, rt.outbox, messageId);
      return row ? statusView(row) : null;
    },
  };
}
