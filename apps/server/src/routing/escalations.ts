import type { Conversation } from '@switchboard/db';
import type { Escalation, HttpOutcome, HttpService } from '@switchboard/nodes';
import type { AppLogger } from '../logger.js';
import type { Desk } from './desk.js';
import { slackEscalationText } from './slack-message.js';

/** Conversations escalated, and Slack posts tried, per tick (the loop goes again at once when full). */
const BATCH = 100;
const SLACK_TIMEOUT_MS = 10_000;
/** Retries of a failed post: the next tick, then 1 s, 3 s, 7 s… at most 5 minutes apart. */
const retryDelayMs = (attempts: number) => Math.min(2 ** (attempts - 1) - 1, 300) * 1000;

export interface EscalationsDeps {
  desk: Desk;
  logger: AppLogger;
  http: () => HttpService | undefined;
  baseUrl: () => string;
  now: () => Date;
}

/**
 * SLA escalation: a conversation nobody picked up by its `sla_due_at` escalates once. It is marked
 * escalated and moved to the escalation team (whose agents may take it at once) in one transaction; the
 * Slack post it owes is recorded in the same commit and sent afterwards. A post that fails stays owed
 * and is retried on later ticks, and a post that succeeded is recorded, so it is never sent twice by
 * this process (a crash between Slack's answer and the record could send it once more on restart).
 */
export class Escalations {
  /** Posts in flight, so two overlapping ticks never post the same escalation. */
  private readonly posting = new Set<string>();

  constructor(private readonly deps: EscalationsDeps) {}

  /** Escalates what is due at `at`. */
  async escalateDue(at: Date): Promise<{ escalated: number; full: boolean }> {
    const { desk } = this.deps;
    const due = await desk.conversations.dueForEscalation(at.toISOString(), BATCH);
    let escalated = 0;
    for (const c of due) {
      try {
        if (await this.escalate(c.id, at)) escalated++;
      } catch (error) {
        this.deps.logger.error({ err: error, conversationId: c.id }, 'escalation failed; retried next tick');
      }
    }
    return { escalated, full: escalated === BATCH };
  }

  private async escalate(id: string, at: Date): Promise<boolean> {
    const { desk } = this.deps;
    const iso = at.toISOString();
    const result = await desk.tx(async (r) => {
      const c = await r.conversations.get(id);
      // Checked again inside the transaction: an agent may have picked it up since the query.
      if (!c || c.escalatedAt || c.pickedUpAt || !(c.state === 'queued' || c.state === 'assigned'))
        return null;
      const team = await r.teams.getTeam(c.teamId);
      // The flow's escalation, filled in by the team's: its escalation team when the flow names none;
      // and when the flow set no escalation at all, a Slack post if the team (or the team it goes to) has
      // a channel.
      const flowRule = c.escalation as Escalation | null;
      const targetId = flowRule?.team ?? team?.escalationTeam ?? null;
      const target = targetId ? await r.teams.findTeam(targetId) : undefined;
      const channel = flowRule?.slackCredential ?? team?.slackCredential ?? target?.slackCredential ?? null;
      const wantsSlack = flowRule ? flowRule.slack === true || !!flowRule.slackCredential : channel !== null;
      const credential = wantsSlack ? channel : null;
      const problems = [
        ...(targetId && !target ? [`there is no team "${targetId}" to escalate to`] : []),
        ...(wantsSlack && !credential ? ['no Slack credential: name one in the flow or set the team’s'] : []),
      ];
      await r.conversations.change(
        c.id,
        { escalatedAt: iso, notifyCredential: credential, notifyAttempts: 0, notifyNextAt: null },
        {
          kind: 'escalated',
          data: {
            from: c.teamId,
            to: target?.id ?? null,
            waitedMinutes: Math.round((at.getTime() - waitingSince(c).getTime()) / 60_000),
            slack: credential,
            ...(problems.length ? { problems } : {}),
          },
        },
        iso,
      );
      if (problems.length) this.deps.logger.warn({ conversationId: c.id, problems }, 'escalation incomplete');
      if (!target || target.id === c.teamId) return { freed: null };
      await desk.moveToQueueIn(r, c, target, at, {
        kind: 'transferred',
        data: { from: c.teamId, to: target.id, fromAgent: c.agentId, by: 'escalation' },
      });
      return { freed: c.agentId ? c.teamId : null };
    });
    if (result?.freed) await desk.drainTeam(result.freed, at); // its agent has room again
    return result !== null;
  }

  /** Sends the Slack posts that are owed and due. */
  async notifyPending(): Promise<{ posted: number; full: boolean }> {
    const { desk } = this.deps;
    const pending = await desk.conversations.pendingNotifications(this.deps.now().toISOString(), BATCH);
    let posted = 0;
    for (const c of pending) {
      if (this.posting.has(c.id)) continue;
      this.posting.add(c.id);
      try {
        if (await this.post(c)) posted++;
      } finally {
        this.posting.delete(c.id);
      }
    }
    return { posted, full: posted === BATCH };
  }

  private async post(c: Conversation): Promise<boolean> {
    const { desk } = this.deps;
    const outcome = await this.send(c);
    const at = this.deps.now().toISOString();
    if (outcome.ok) {
      await desk.conversations.change(
        c.id,
        { notifiedAt: at },
        { kind: 'notified', data: { channel: 'slack', credential: c.notifyCredential } },
        at,
      );
      return true;
    }
    const attempts = c.notifyAttempts + 1;
    const nextAt = new Date(Date.parse(at) + retryDelayMs(attempts)).toISOString();
    // The first failure and every tenth go in the history; every one goes in the log.
    const record = attempts === 1 || attempts % 10 === 0;
    await desk.conversations.change(
      c.id,
      { notifyAttempts: attempts, notifyNextAt: nextAt },
      record
        ? { kind: 'notify_failed', data: { attempts, reason: outcome.reason, message: outcome.message } }
        : null,
      at,
    );
    this.deps.logger.warn(
      {
        conversationId: c.id,
        credential: c.notifyCredential,
        attempts,
        reason: outcome.reason,
        error: outcome.message,
        retryAt: nextAt,
      },
      'Slack escalation not posted; will retry',
    );
    return false;
  }

  private async send(c: Conversation): Promise<HttpOutcome | { ok: false; reason: string; message: string }> {
    const http = this.deps.http();
    if (!http) return { ok: false, reason: 'no_client', message: 'no outbound HTTP client is configured' };
    const { desk } = this.deps;
    const escalated = (await desk.conversations.history(c.id)).filter((e) => e.kind === 'escalated').at(-1);
    const fromId = (escalated?.data.from as string | undefined) ?? c.teamId;
    const toId = escalated?.data.to as string | null | undefined;
    const from = await desk.teams.getTeam(fromId);
    const to = toId ? await desk.teams.getTeam(toId) : undefined;
    const text = slackEscalationText({
      conversation: c,
      team: from?.name ?? fromId,
      movedTo: toId ? (to?.name ?? toId) : null,
      waitedMinutes: Number(escalated?.data.waitedMinutes ?? 0),
      link: `${this.deps.baseUrl()}/conversations/${encodeURIComponent(c.id)}`,
    });
    try {
      return await http.request({
        method: 'POST',
        url: '',
        credential: c.notifyCredential,
        credentialTypes: ['slack'],
        body: { text },
        timeoutMs: SLACK_TIMEOUT_MS,
      });
    } catch (error) {
      return {
        ok: false,
        reason: 'network',
        message: error instanceof Error ? error.message : String(error),
      };
    }
  }
}

/** When the customer's wait for a first answer started: the SLA's start. */
function waitingSince(c: Conversation): Date {
  if (c.slaDueAt && c.slaMinutes !== null) return new Date(Date.parse(c.slaDueAt) - c.slaMinutes * 60_000);
  return new Date(c.openedAt);
}
