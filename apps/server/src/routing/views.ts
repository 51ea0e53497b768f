import type { Conversation, Team } from '@switchboard/db';
import type { Escalation, OpeningInterval, TeamView } from '@switchboard/nodes';

/** A team as flows see it. */
export const teamView = (t: Team): TeamView => ({
  id: t.id,
  name: t.name,
  timezone: t.timezone,
  businessHours: t.businessHours as OpeningInterval[] | null,
  holidays: t.holidays,
  slackCredential: t.slackCredential,
});

/** A conversation as the API shows it (the Slack bookkeeping stays inside, except when it was posted). */
export const conversationView = (c: Conversation) => ({
  id: c.id,
  channel: c.channel,
  waId: c.waId,
  contactName: c.contactName,
  teamId: c.teamId,
  agentId: c.agentId,
  priority: c.priority,
  state: c.state,
  queuedBecause: c.queuedBecause,
  strategy: c.strategy,
  skills: c.skills,
  summary: c.summary,
  runId: c.runId,
  flowId: c.flowId,
  nodeId: c.nodeId,
  slaMinutes: c.slaMinutes,
  slaDueAt: c.slaDueAt,
  escalation: (c.escalation as Escalation | null) ?? null,
  escalatedAt: c.escalatedAt,
  notifiedAt: c.notifiedAt,
  openedAt: c.openedAt,
  assignedAt: c.assignedAt,
  pickedUpAt: c.pickedUpAt,
  closedAt: c.closedAt,
  updatedAt: c.updatedAt,
});
