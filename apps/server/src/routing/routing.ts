import type { Agent, Conversation, Database, Repositories, Team } from '@switchboard/db';
import { type Clock, systemClock } from '@switchboard/engine';
import type { AssignOutcome, AssignRequest, HttpService, RoutingService, TeamView } from '@switchboard/nodes';
import type { InboxBus } from '../inbox/bus.js';
import { conversationEvent } from '../inbox/conversation-changes.js';
import type { AppLogger } from '../logger.js';
import { Desk } from './desk.js';
import { badField, notFound, RoutingError } from './errors.js';
import { Escalations } from './escalations.js';
import { teamView } from './views.js';

export interface RoutingDeps {
  database: Database;
  logger: AppLogger;
  /** Injected so tests can move time by hand. */
  clock?: Clock;
  /**
   * Posts escalations to Slack. A function is read at each post, so the host can supply its HTTP client
   * after routing is built.
   */
  http?: HttpService | (() => HttpService | undefined);
  /** Where this server is reachable, for links to conversations in notifications. */
  baseUrl?: () => string;
  newId?: () => string;
  /** Hears every conversation change once committed (the inbox's live stream). */
  inbox?: Pick<InboxBus, 'publish'>;
}

/** Who did something to a conversation by hand: the signed-in user (or key) and their agent, if any. */
export interface Author {
  userId: string | null;
  name: string;
  agentId: string | null;
}

export interface NoteData {
  text: string;
  by: Author;
}

export interface TickResult {
  escalated: number;
  assigned: number;
  notified: number;
}

/**
 * Teams, agents and conversations: the host side of the routing nodes (`RoutingService`) and of the
 * teams/agents/conversations API. Assignment and queues live in `Desk`, SLA escalation in
 * `Escalations`; `tick` (the routing loop) runs both.
 */
export class Routing implements RoutingService {
  readonly teams: Repositories['teams'];
  readonly conversations: Repositories['conversations'];
  readonly desk: Desk;
  readonly escalations: Escalations;
  private readonly clock: Clock;
  private readonly newId: () => string;

  constructor(deps: RoutingDeps) {
    this.teams = deps.database.repos.teams;
    this.conversations = deps.database.repos.conversations;
    const inbox = deps.inbox;
    const log = deps.logger.child({ component: 'routing' });
    this.desk = new Desk(
      deps.database,
      inbox
        ? async (touched) => {
            // Read after the commit: the stream says how each conversation is now.
            try {
              const events = [];
              for (const [id, touch] of touched) {
                const c = await this.conversations.get(id);
                if (c) events.push(conversationEvent(c, touch));
              }
              inbox.publish(events);
            } catch (error) {
              log.warn({ err: error }, 'conversation changes could not be published to the inbox stream');
            }
          }
        : undefined,
    );
    this.clock = deps.clock ?? systemClock;
    this.newId = deps.newId ?? (() => crypto.randomUUID());
    const http = deps.http;
    this.escalations = new Escalations({
      desk: this.desk,
      logger: log,
      http: typeof http === 'function' ? http : () => http,
      baseUrl: deps.baseUrl ?? (() => ''),
      now: () => this.now(),
    });
  }

  now(): Date {
    return this.clock.now();
  }

  async team({ team }: { team: string }): Promise<TeamView | null> {
    const found = await this.teams.findTeam(team);
    return found ? teamView(found) : null;
  }

  /**
   * Opens a conversation in the team (or reuses the contact's conversation that is not closed, moving
   * it to this team), queues it and lets the team's agents take it in queue order. The first outcome
   * of each idempotency key is stored, so a re-run step gets it again.
   */
  async assign(req: AssignRequest): Promise<AssignOutcome> {
    let at = this.now();
    const { outcome, freed } = await this.desk.tx(async (r) => {
      at = this.now(); // when it happens: after any transaction it waited for
      const prior = await r.conversations.request(req.idempotencyKey);
      if (prior) return { outcome: prior.outcome as AssignOutcome, freed: null };
      const team = await r.teams.findTeam(req.team);
      if (!team) return { outcome: await this.unknownTeam(r, req.team), freed: null };
      const existing = await r.conversations.activeForContact(req.contact.waId, req.contact.channel);
      const placed = existing
        ? await this.reuse(r, existing, team, req, at)
        : await this.open(r, team, req, at);
      const c = (await r.conversations.get(placed.id))!;
      const outcome = await this.outcomeOf(r, c, team, !!existing);
      await r.conversations.recordRequest(req.idempotencyKey, c.id, outcome, at.toISOString());
      // A conversation that left another team's agent gives that agent room.
      const freed = existing && existing.teamId !== team.id && existing.agentId ? existing.teamId : null;
      return { outcome, freed };
    });
    if (freed) await this.desk.drainTeam(freed, at);
    return outcome;
  }

  private async open(r: Repositories, team: Team, req: AssignRequest, at: Date): Promise<Conversation> {
    const c = await r.conversations.open(
      {
        id: this.newId(),
        channel: req.contact.channel,
        waId: req.contact.waId,
        contactName: req.contact.name,
        teamId: team.id,
        priority: req.priority,
        strategy: req.strategy,
        skills: req.skills,
        summary: req.summary,
        runId: req.runId,
        flowId: req.flowId,
        nodeId: req.nodeId,
        idempotencyKey: req.idempotencyKey,
        slaMinutes: req.slaMinutes,
        slaDueAt: this.desk.slaDueAt(team, req.slaMinutes, at),
        escalation: req.escalation,
        queuedBecause: this.desk.queueReason(team, at),
      },
      at.toISOString(),
    );
    return this.queueAndDrain(r, c, team, at);
  }

  /**
   * The contact already has a conversation. In another team: it moves here as a new request (queued,
   * new SLA, may escalate again). In this team: it keeps its agent and its waiting time, and takes the
   * step's priority, summary and skills.
   */
  private async reuse(
    r: Repositories,
    c: Conversation,
    team: Team,
    req: AssignRequest,
    at: Date,
  ): Promise<Conversation> {
    const iso = at.toISOString();
    const fromFlow = { runId: req.runId, flowId: req.flowId, nodeId: req.nodeId };
    const common = {
      priority: req.priority,
      strategy: req.strategy,
      skills: req.skills,
      summary: req.summary,
      contactName: req.contact.name ?? c.contactName,
      ...fromFlow,
    };
    if (c.teamId !== team.id) {
      const moved = (await r.conversations.change(
        c.id,
        {
          ...common,
          teamId: team.id,
          agentId: null,
          state: 'queued',
          queuedBecause: this.desk.queueReason(team, at),
          assignedAt: null,
          pickedUpAt: null,
          slaMinutes: req.slaMinutes,
          slaDueAt: this.desk.slaDueAt(team, req.slaMinutes, at),
          escalation: req.escalation,
          escalatedAt: null,
          notifyCredential: null,
          notifiedAt: null,
          notifyAttempts: 0,
          notifyNextAt: null,
        },
        {
          kind: 'transferred',
          data: { from: c.teamId, to: team.id, fromAgent: c.agentId, by: 'flow', ...fromFlow },
        },
        iso,
      ))!;
      return this.queueAndDrain(r, moved, team, at);
    }
    const startSla = c.slaDueAt === null && c.pickedUpAt === null && req.slaMinutes !== null;
    const updated = (await r.conversations.change(
      c.id,
      {
        ...common,
        ...(startSla
          ? {
              slaMinutes: req.slaMinutes,
              slaDueAt: this.desk.slaDueAt(team, req.slaMinutes, at),
              escalation: req.escalation,
            }
          : {}),
      },
      { kind: 'updated', data: { by: 'flow', priority: req.priority, ...fromFlow } },
      iso,
    ))!;
    return updated.state === 'queued' ? this.queueAndDrain(r, updated, team, at) : updated;
  }

  /** Lets the team's agents take the queue (this one included); notes why it waits if it still does. */
  private async queueAndDrain(r: Repositories, c: Conversation, team: Team, at: Date): Promise<Conversation> {
    await this.desk.drainTeamIn(r, team.id, at);
    const now = (await r.conversations.get(c.id))!;
    if (now.state !== 'queued') return now;
    const reason = this.desk.queueReason(team, at);
    await r.conversations.change(
      c.id,
      { queuedBecause: reason },
      { kind: 'queued', data: { reason } },
      at.toISOString(),
    );
    return (await r.conversations.get(c.id))!;
  }

  private async outcomeOf(
    r: Repositories,
    c: Conversation,
    team: Team,
    reused: boolean,
  ): Promise<AssignOutcome> {
    const agent = c.agentId ? await r.teams.getAgent(c.agentId) : undefined;
    const queued = c.state === 'queued';
    return {
      ok: true,
      conversationId: c.id,
      team: { id: team.id, name: team.name },
      agent: c.agentId ? { id: c.agentId, name: agent?.name ?? c.agentId } : null,
      state: queued ? 'queued' : 'assigned',
      queuedBecause: queued
        ? ((c.queuedBecause as 'after_hours' | 'no_agent_available') ?? 'no_agent_available')
        : null,
      priority: c.priority as AssignRequest['priority'],
      slaDueAt: c.slaDueAt,
      reused,
    };
  }

  private async unknownTeam(r: Repositories, name: string): Promise<AssignOutcome> {
    const known = (await r.teams.listTeams()).map((t) => `${t.id} (${t.name})`);
    const list = known.length ? `the teams are: ${known.slice(0, 20).join(', ')}` : 'no team is set up yet';
    return { ok: false, reason: 'unknown_team', message: `there is no team "${name}"; ${list}` };
  }

  // --- what agents and supervisors do (the conversations API) ---

  /**
   * The agent answers: the conversation opens and its SLA stops. A queued conversation needs the agent
   * named; naming another agent than the assigned one gives it to them.
   */
  async pickUp(id: string, agentId?: string): Promise<Conversation> {
    let at = this.now();
    const { c, freed } = await this.desk.tx(async (r) => {
      at = this.now(); // when it happens: after any transaction it waited for
      const c = await this.active(r, id);
      const agent = agentId ?? c.agentId;
      if (!agent) throw badField('body.agent', 'the conversation is queued: name the agent who picks it up');
      if (agentId && !(await r.teams.getAgent(agentId)))
        throw badField('body.agent', `there is no agent "${agentId}"`);
      if (c.state === 'open' && c.agentId === agent) return { c, freed: false };
      return {
        c: (await r.conversations.pickUp(id, agent, at.toISOString()))!,
        freed: !!c.agentId && c.agentId !== agent,
      };
    });
    if (freed) await this.desk.drainTeam(c.teamId, at);
    return c;
  }

  /**
   * Moves a conversation to another team and/or agent. With an agent it is assigned to them (they must
   * be in the team; capacity is not checked: a person chose it); with only a team it joins that team's
   * queue and its agents take it in turn. The SLA keeps running from when it started.
   */
  async transfer(id: string, to: { team?: string; agent?: string }): Promise<Conversation> {
    if (!to.team && !to.agent) throw badField('body', 'name the team, the agent, or both');
    let at = this.now();
    const { c, from } = await this.desk.tx(async (r) => {
      at = this.now(); // when it happens: after any transaction it waited for
      const c = await this.active(r, id);
      const team = to.team ? await r.teams.findTeam(to.team) : await r.teams.getTeam(c.teamId);
      if (!team) throw badField('body.team', `there is no team "${to.team ?? c.teamId}"`);
      const event = {
        kind: 'transferred',
        data: { from: c.teamId, to: team.id, fromAgent: c.agentId, by: 'api' },
      };
      if (!to.agent) return { c: await this.desk.moveToQueueIn(r, c, team, at, event), from: c };
      const agent = await r.teams.getAgent(to.agent);
      if (!agent) throw badField('body.agent', `there is no agent "${to.agent}"`);
      if (!agent.teams.includes(team.id))
        throw badField('body.agent', `agent "${agent.id}" is not in team "${team.id}"`);
      const moved = (await r.conversations.change(
        id,
        {
          teamId: team.id,
          agentId: agent.id,
          state: 'assigned',
          queuedBecause: null,
          assignedAt: at.toISOString(),
        },
        { kind: event.kind, data: { ...event.data, toAgent: agent.id } },
        at.toISOString(),
      ))!;
      return { c: moved, from: c };
    });
    await this.desk.drain([from.teamId, c.teamId], at);
    return c;
  }

  /**
   * Closes it (closing a closed one changes nothing); its agent's place goes to the team's queue. `by`
   * (who closed it) and `reason` go into the `closed` history row.
   */
  async close(id: string, options: { by?: Author; reason?: 'handed_back' } = {}): Promise<Conversation> {
    let at = this.now();
    const c = await this.desk.tx(async (r) => {
      at = this.now(); // when it happens: after any transaction it waited for
      const c = await r.conversations.get(id);
      if (!c) throw notFound('conversation', id);
      // Handing back a closed conversation is refused: the bot has that contact already.
      if (c.state === 'closed' && options.reason === 'handed_back')
        throw new RoutingError(409, 'conversation_closed', `conversation "${id}" is closed`);
      return c.state === 'closed'
        ? c
        : (await r.conversations.close(id, at.toISOString(), {
            agent: c.agentId,
            ...(options.reason ? { reason: options.reason } : {}),
            ...(options.by ? { by: options.by } : {}),
          }))!;
    });
    await this.desk.drainTeam(c.teamId, at);
    return c;
  }

  /**
   * Gives the contact back to the bot: the conversation closes with reason `handed_back` (flows answer
   * a contact again once no human owns their conversation). A closed conversation answers 409.
   */
  handBack(id: string, by?: Author): Promise<Conversation> {
    return this.close(id, { reason: 'handed_back', ...(by ? { by } : {}) });
  }

  /** An internal note in the conversation's history (closed ones take notes too). */
  async addNote(id: string, text: string, by: Author): Promise<{ at: string; kind: 'note'; data: NoteData }> {
    const at = this.now().toISOString();
    const data: NoteData = { text, by };
    await this.desk.tx(async (r) => {
      if (!(await r.conversations.get(id))) throw notFound('conversation', id);
      await r.conversations.addEvent(id, at, 'note', data as unknown as Record<string, unknown>);
    });
    return { at, kind: 'note', data };
  }

  /**
   * After an agent was created, changed or deleted (`after` undefined). Conversations an agent was given
   * but had not picked up go back to the queue when they become unavailable (all of them when deleted);
   * then the teams involved are drained, so new room (available again, more capacity, a new team or
   * skill) is used at once.
   */
  async agentChanged(before: Agent | undefined, after: Agent | undefined): Promise<void> {
    const at = this.now();
    if (before && !after) await this.desk.release(before.id, ['assigned', 'open'], 'agent_deleted', at);
    else if (before?.available && after && !after.available)
      await this.desk.release(after.id, ['assigned'], 'agent_unavailable', at);
    await this.desk.drain([...(before?.teams ?? []), ...(after?.teams ?? [])], at);
  }

  /** After a team's hours or holidays changed: it may be open now. */
  async teamChanged(teamId: string): Promise<void> {
    await this.desk.drainTeam(teamId, this.now());
  }

  /**
   * One pass of the routing loop: escalate what passed its SLA, assign queued conversations wherever a
   * team is open and an agent has room (teams open by the clock), then post owed Slack messages.
   */
  async tick(): Promise<TickResult & { full: boolean }> {
    const at = this.now();
    const escalated = await this.escalations.escalateDue(at);
    const assigned = await this.desk.drain(await this.conversations.teamsWithQueue(), at);
    const notified = await this.escalations.notifyPending();
    return { ...escalated, assigned, notified: notified.posted, full: escalated.full || notified.full };
  }

  private async active(r: Repositories, id: string): Promise<Conversation> {
    const c = await r.conversations.get(id);
    if (!c) throw notFound('conversation', id);
    if (c.state === 'closed')
      throw new RoutingError(409, 'conversation_closed', `conversation "${id}" is closed`);
    return c;
  }
}
