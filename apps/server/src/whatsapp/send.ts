import { randomUUID } from 'node:crypto';
import type { OutboxRow } from '@switchboard/db';
import { timeOrderedId } from '@switchboard/engine';
import type { WhatsAppService } from '@switchboard/nodes';
import { validateOutbound } from '@switchboard/whatsapp';
import { SIMULATOR_CHANNEL } from '../channels.js';
import type { Runtime } from '../runtime.js';
import { checkTemplate } from '../templates/send-check.js';
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
 * key (a repeat returns the first message and its outcome), then policy; refusals are recorded. The
 * message is queued and, if policy forbids it, refused in one transaction: a sender (of any process)
 * never sees it queued in between.
 */
export async function sendMessage(
  rt: Pick<Runtime, 'channels' | 'database' | 'metrics' | 'config' | 'sender'>,
  args: {
    to: string;
    channelId: string;
    message: unknown;
    idempotencyKey?: string;
    runId?: string;
    nodeId?: string;
    /** When it is queued: the caller's clock (campaigns run on one tests can move); default now. */
    at?: Date;
  },
): Promise<SendResult> {
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
  let message = valid.message;
  if (message.type === 'template') {
    // Before Meta sees it: the template must be known, approved, and given exactly its parameters.
    const check = await checkTemplate(rt.database.repos, args.channelId, message);
    if (check && !check.ok)
      return { ok: false, reason: check.reason, message: check.message, problems: check.problems };
    // Meta's category, not the sender's guess, decides whether marketing consent is needed.
    if (check?.ok)
      message = { ...message, category: templateCategory(check.template.category, message.category) };
  }
  const to = args.to.replace(/^\+/, '');
  const at = (args.at ?? new Date()).toISOString();
  const gate = { metrics: rt.metrics, blockedPrefixes: rt.config.whatsapp.blockedPrefixes };
  const { row, created, refusal } = await rt.database.transaction(async (r) => {
    const contact = await r.contacts.ensure({ waId: to, channel: args.channelId, at, derive: derivePhone });
    const { row, created } = await r.outbox.enqueue({
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
    if (!created) return { row, created, refusal: null };
    // No wait can be parked on a message that did not exist a moment ago: the plain outbox will do.
    const refusal = await refuseIfForbidden({ ...gate, outbox: r.outbox }, row, contact, at);
    return { row: refusal ? ((await r.outbox.get(row.id)) ?? row) : row, created, refusal };
  });
  if (!created) {
    if (row.status !== 'refused') return { ok: true, row };
    const error = row.lastError as { code?: string; message?: string } | null;
    return { ok: false, reason: String(error?.code ?? 'refused'), message: error?.message ?? 'refused', row };
  }
  if (refusal) return { ok: false, reason: refusal.reason, message: refusal.message, row };
  rt.sender?.nudge();
  return { ok: true, row };
}

function templateCategory(
  category: string,
  given: 'marketing' | 'utility' | 'authentication' | undefined,
): 'marketing' | 'utility' | 'authentication' | undefined {
  const lower = category.toLowerCase();
  return lower === 'marketing' || lower === 'utility' || lower === 'authentication' ? lower : given;
}

/**
 * The messaging nodes' view of the outbox: a node goes on only once its message is durably queued or
 * refused.
 */
export function whatsappService(rt: Runtime): WhatsAppService {
  return {
    async send(args) {
      // A run of the editor's simulator never reaches a real number: whatever channel a node names, it
      // sends through the simulator's (which only ever talks to the sandbox).
      const channelId =
        args.channel !== SIMULATOR_CHANNEL && args.runId && (await rt.simulator.isSimulatorRun(args.runId))
          ? SIMULATOR_CHANNEL
          : args.channel;
      const result = await sendMessage(rt, {
        to: args.to,
        channelId,
        message: args.message,
        idempotencyKey: args.idempotencyKey,
        runId: args.runId,
        nodeId: args.nodeId,
      });
      return result.ok
        ? { ok: true, messageId: result.row.id, status: result.row.status }
        : { ok: false, reason: result.reason, message: result.message };
    },
    async messageStatus({ messageId }) {
      const row = await findMessage(rt.outbox, messageId);
      return row ? statusView(row) : null;
    },
  };
}
