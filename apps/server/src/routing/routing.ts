import {
  type Agent,
  type Conversation,
  ConversationRepository,
  type Db,
  type Team,
  TeamRepository,
} from '@switchboard/db';
import { type Clock, systemClock } from '@switchboard/engine';
import type { AssignOutcome, AssignRequest, HttpService, RoutingService, TeamView } from '@switchboard/nodes';
import type { AppLogger } from '../logger.js';
import { Desk } from './desk.js';
import { badField, notFound, RoutingError } from './errors.js';
import { Escalations } from './escalations.js';
import { teamView } from './views.js';

export interface RoutingDeps {
  db: Db;
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
  readonly teams: TeamRepository;
  readonly conversations: ConversationRepository;
  readonly desk: Desk;
  readonly escalations: Escalations;
  private readonly clock: Clock;
  private readonly newId: () => string;

  constructor(deps: RoutingDeps) {
    this.teams = new TeamRepository(deps.db);
    this.conversations = new ConversationRepository(deps.db);
    this.desk = new Desk(deps.db, this.teams, this.conversations);
    this.clock = deps.clock ?? systemClock;
    this.newId = deps.newId ?? (() => crypto.randomUUID());
    const http = deps.http;
    this.escalations = new Escalations({
      desk: this.desk,
      logger: deps.logger.child({ component: 'routing' }),
      http: typeof http === 'function' ? http : () => http,
      baseUrl: deps.baseUrl ?? (() => ''),
      now: () => this.now(),
    });
  }

  now(): Date {
    return this.clock.now();
  }

  async team({ team }: { team: string }): Promise<TeamView | null> {
    const found = this.teams.findTeam(team);
    return found ? teamView(found) : null;
  }

  /**
   * Opens a conversation in the team (or reuses the contact's conversation that is not closed, moving
   * it to this team), queues it and lets the team's agents take it in queue order. The first outcome
   * of each idempotency key is stored, so a re-run step gets it again.
   */
  async assign(req: AssignRequest): Promise<AssignOutcome> {
    const at = this.now();
    const { outcome, freed } = this.desk.tx(() => {
      const prior = this.conversations.request(req.idempotencyKey);
      if (prior) return { outcome: prior.outcome as AssignOutcome, freed: null };
      const team = this.teams.findTeam(req.team);
      if (!team) return { outcome: this.unknownTeam(req.team), freed: null };
      const existing = this.conversations.activeForContact(req.contact.waId, req.contact.channel);
      const placed = existing ? this.reuse(existing, team, req, at) : this.open(team, req, at);
      const c = this.conversations.get(placed.id)!;
      const outcome = this.outcomeOf(c, team, !!existing);
      this.conversations.recordRequest(req.idempotencyKey, c.id, outcome, at.toISOString());
      // A conversation that left another team's agent gives that agent room.
      const freed = existing && existing.teamId !== team.id && existing.agentId ? existing.teamId : null;
      return { outcome, freed };
    });
    if (freed) this.desk.drainTeam(freed, at);
    return outcome;
  }

  private open(team: Team, req: AssignRequest, at: Date): Conversation {
    const c = this.conversations.open(
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
    return this.queueAndDrain(c, team, at);
  }

  /**
   * The contact already has a conversation. In another team: it moves here as a new request (queued,
   * new SLA, may escalate again). In this team: it keeps its agent and its waiting time, and takes the
   * step's priority, summary and skills.
   */
  private reuse(c: Conversation, team: Team, req: AssignRequest, at: Date): Conversation {
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
      const moved = this.conversations.change(
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
      )!;
      return this.queueAndDrain(moved, team, at);
    }
    const startSla = c.slaDueAt === null && c.pickedUpAt === null && req.slaMinutes !== null;
    const updated = this.conversations.change(
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
    )!;
    return updated.state === 'queued' ? this.queueAndDrain(updated, team, at) : updated;
  }

  /** Lets the team's agents take the queue (this one included); notes why it waits if it still does. */
  private queueAndDrain(c: Conversation, team: Team, at: Date): Conversation {
    this.desk.drainTeam(team.id, at);
    const now = this.conversations.get(c.id)!;
    if (now.state !== 'queued') return now;
    const reason = this.desk.queueReason(team, at);
    this.conversations.change(
      c.id,
      { queuedBecause: reason },
      { kind: 'queued', data: { reason } },
      at.toISOString(),
    );
    return this.conversations.get(c.id)!;
  }

  private outcomeOf(c: Conversation, team: Team, reused: boolean): AssignOutcome {
    const agent = c.agentId ? this.teams.getAgent(c.agentId) : undefined;
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

  private unknownTeam(name: string): AssignOutcome {
    const known = this.teams.listTeams().map((t) => `${t.id} (${t.name})`);
    const list = known.length ? `the teams are: ${known.slice(0, 20).join(', ')}` : 'no team is set up yet';
    return { ok: false, reason: 'unknown_team', message: `there is no team "${name}"; ${list}` };
  }

  // --- what agents and supervisors do (the conversations API) ---

  /**
   * The agent answers: the conversation opens and its SLA stops. A queued conversation needs the agent
   * named; naming another agent than the assigned one gives it to them.
   */
  pickUp(id: string, agentId?: string): Conversation {
    const at = this.now();
    const { c, freed } = this.desk.tx(() => {
      const c = this.active(id);
      const agent = agentId ?? c.agentId;
      if (!agent) throw badField('body.agent', 'the conversation is queued: name the agent who picks it up');
      if (agentId && !this.teams.getAgent(agentId))
        throw badField('body.agent', `there is no agent "${agentId}"`);
      if (c.state === 'open' && c.agentId === agent) return { c, freed: false };
      return {
        c: this.conversations.pickUp(id, agent, at.toISOString())!,
        freed: !!c.agentId && c.agentId !== agent,
      };
    });
    if (freed) this.desk.drainTeam(c.teamId, at);
    return c;
  }

  /**
   * Moves a conversation to another team and/or agent. With an agent it is assigned to them (they must
   * be in the team; capacity is not checked: a person chose it); with only a team it joins that team's
   * queue and its agents take it in turn. The SLA keeps running from when it started.
   */
  transfer(id: string, to: { team?: string; agent?: string }): Conversation {
    if (!to.team && !to.agent) throw badField('body', 'name the team, the agent, or both');
    const at = this.now();
    const { c, from } = this.desk.tx(() => {
      const c = this.active(id);
      const team = to.team ? this.teams.findTeam(to.team) : this.teams.getTeam(c.teamId);
      if (!team) throw badField('body.team', `there is no team "${to.team ?? c.teamId}"`);
      const event = {
        kind: 'transferred',
        data: { from: c.teamId, to: team.id, fromAgent: c.agentId, by: 'api' },
      };
      if (!to.agent) return { c: this.desk.moveToQueue(c, team, at, event), from: c };
      const agent = this.teams.getAgent(to.agent);
      if (!agent) throw badField('body.agent', `there is no agent "${to.agent}"`);
      if (!agent.teams.includes(team.id))
        throw badField('body.agent', `agent "${agent.id}" is not in team "${team.id}"`);
      const moved = this.conversations.change(
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
      )!;
      return { c: moved, from: c };
    });
    this.desk.drain([from.teamId, c.teamId], at);
    return c;
  }

  /** Closes it (closing a closed one changes nothing); its agent's place goes to the team's queue. */
  close(id: string): Conversation {
    const at = this.now();
    const c = this.desk.tx(() => {
      const c = this.conversations.get(id);
      if (!c) throw notFound('conversation', id);
      return c.state === 'closed' ? c : this.conversations.close(id, at.toISOString(), { agent: c.agentId })!;
    });
    this.desk.drainTeam(c.teamId, at);
    return c;
  }

  /**
   * After an agent was created, changed or deleted (`after` undefined). Conversations an agent was given
   * but had not picked up go back to the queue when they become unavailable (all of them when deleted);
   * then the teams involved are drained, so new room (available again, more capacity, a new team or
   * skill) is used at once.
   */
  agentChanged(before: Agent | undefined, after: Agent | undefined): void {
    const at = this.now();
    if (before && !after) this.desk.release(before.id, ['assigned', 'open'], 'agent_deleted', at);
    else if (before?.available && after && !after.available)
      this.desk.release(after.id, ['assigned'], 'agent_unavailable', at);
    this.desk.drain([...(before?.teams ?? []), ...(after?.teams ?? [])], at);
  }

  /** After a team's hours or holidays changed: it may be open now. */
  teamChanged(teamId: string): void {
    this.desk.drainTeam(teamId, this.now());
  }

  /**
   * One pass of the routing loop: escalate what passed its SLA, assign queued conversations wherever a
   * team is open and an agent has room (teams open by the clock), then post owed Slack messages.
   */
  async tick(): Promise<TickResult & { full: boolean }> {
    const at = this.now();
    const escalated = this.escalations.escalateDue(at);
    const assigned = this.desk.drain(this.conversations.teamsWithQueue(), at);
    const notified = await this.escalations.notifyPending();
    return { ...escalated, assigned, notified: notified.posted, full: escalated.full || notified.full };
  }

  private active(id: string): Conversation {
    const c = this.conversations.get(id);
    if (!c) throw notFound('conversation', id);
    if (c.state === 'closed')
      throw new RoutingError(409, 'conversation_closed', `conversation "${id}" is closed`);
    return c;
  }
}
