import { defineNode, emit, type Json, NodeError } from '@switchboard/engine';
import { z } from 'zod';
import { customerText, isUnresolved, triggerContact } from '../customer.js';
import { errorResult } from '../http-call.js';
import { labels } from '../labels.js';
import { priorityFor, URGENT_KEYWORDS, VIP_VALUES } from '../priority.js';
import type { AssignOutcome, Escalation } from '../routing-services.js';
import { channelFor, recipientParams } from '../send.js';

/** The team a "Route to team" node put on the input (`{ team: { id } }`), if any. */
function routedTeam(input: unknown): string | null {
  const team = (input as { team?: { id?: unknown } } | null)?.team;
  return typeof team?.id === 'string' && team.id !== '' ? team.id : null;
}

/** A closed team gets its own output, so the flow can send the after-hours reply there. */
function portOf(outcome: Extract<AssignOutcome, { ok: true }>): 'assigned' | 'queued' | 'afterHours' {
  if (outcome.state === 'assigned') return 'assigned';
  return outcome.queuedBecause === 'after_hours' ? 'afterHours' : 'queued';
}

/**
 * Opens (or reuses) the contact's conversation in a team and hands it to an agent: round robin or the
 * agent with the fewest open conversations, only agents with the listed skills. `assigned`: an agent has
 * it; `queued`: it waits for one; `afterHours`: the team is closed (send the auto-reply from here);
 * `error`: the team does not exist. The step's idempotency key makes a re-run return the same outcome.
 */
export const assignNode = defineNode({
  type: 'routing.assign',
  category: 'routing',
  sideEffect: true,
  labels: labels(
    ['Assign to agent', 'Opens a conversation in a team and assigns it to an available agent, or queues it.'],
    [
      'Asignar a un agente',
      'Abre una conversación en un equipo y la asigna a un agente disponible, o la deja en cola.',
    ],
  ),
  params: z
    .strictObject({
      ...recipientParams,
      team: z
        .string()
        .min(1)
        .optional()
        .describe('Team id or name; default: the team chosen by a "Route to team" node before this one'),
      strategy: z
        .enum(['roundRobin', 'leastOpen'])
        .default('roundRobin')
        .describe('Take turns, or the agent with the fewest open conversations'),
      skills: z
        .array(z.string().min(1))
        .default([])
        .describe('Only agents with all of these skills, e.g. english, refunds'),
      priority: z
        .enum(['auto', 'low', 'normal', 'high', 'urgent'])
        .default('auto')
        .describe('"auto": urgent when the message has an urgent word, high for VIP tiers, else normal'),
      urgentKeywords: z
        .array(z.string().min(1))
        .default([...URGENT_KEYWORDS])
        .describe('For "auto": words that make it urgent'),
      tier: z
        .unknown()
        .default('{{ contact.attributes.tier }}')
        .describe('For "auto": the customer’s tier, e.g. {{ vars.hubspot.properties.tier }}'),
      vipValues: z
        .array(z.string().min(1))
        .default([...VIP_VALUES])
        .describe('For "auto": tiers that get high priority'),
      slaMinutes: z.coerce
        .number()
        .int()
        .min(1, 'at least 1 minute')
        .max(10_080, 'at most 7 days (10080 minutes)')
        .optional()
        .describe('First-response time: an unanswered conversation escalates after this many minutes'),
      escalateToTeam: z
        .string()
        .min(1)
        .optional()
        .describe('When the SLA passes: move the conversation to this team'),
      escalateToSlack: z.boolean().default(false).describe('When the SLA passes: post to Slack'),
      slackCredential: z
        .string()
        .min(1)
        .optional()
        .describe('Slack credential to post with; default: the team’s own'),
    })
    .refine((p) => p.slaMinutes !== undefined || (!p.escalateToTeam && !p.escalateToSlack), {
      message: 'set slaMinutes: escalation happens when the SLA passes',
      path: ['slaMinutes'],
    }),
  outputs: ['assigned', 'queued', 'afterHours', 'error'],
  execute: async (ctx) => {
    const routing = ctx.services.routing;
    if (!routing)
      throw new NodeError('this host has no routing service (teams and agents)', { retryable: false });
    const p = ctx.params;
    const team = p.team ?? routedTeam(ctx.input);
    if (!team)
      return errorResult({
        reason: 'missing_team',
        message: 'no team: set "team", or put a "Route to team" node before this one',
      });
    const waId = p.to.replace(/^\+/, '');
    if (!/^\d{6,20}$/.test(waId))
      return errorResult({
        reason: 'missing_contact',
        message: 'no WhatsApp contact: the run did not start from a customer message; set "to"',
      });
    const summary = customerText(ctx.input, ctx.trigger);
    const priority = priorityFor({
      mode: p.priority,
      text: summary,
      urgentKeywords: p.urgentKeywords,
      tier: isUnresolved(p.tier) ? null : p.tier,
      vipValues: p.vipValues,
    });
    const escalation: Escalation | null =
      p.escalateToTeam || p.escalateToSlack
        ? {
            team: p.escalateToTeam ?? null,
            slack: p.escalateToSlack,
            slackCredential: p.slackCredential ?? null,
          }
        : null;
    const outcome = await routing.assign({
      idempotencyKey: ctx.idempotencyKey,
      runId: ctx.run.id,
      flowId: ctx.run.flowId,
      nodeId: ctx.node.id,
      contact: { waId, channel: channelFor(ctx), name: triggerContact(ctx.trigger).name },
      team,
      strategy: p.strategy,
      skills: p.skills,
      priority,
      slaMinutes: p.slaMinutes ?? null,
      escalation,
      summary,
    });
    if (!outcome.ok) return errorResult({ reason: outcome.reason, message: outcome.message, body: { team } });
    const data = {
      conversationId: outcome.conversationId,
      team: outcome.team,
      agent: outcome.agent,
      priority: outcome.priority,
      slaDueAt: outcome.slaDueAt,
      queuedBecause: outcome.queuedBecause,
      reused: outcome.reused,
    };
    return emit(portOf(outcome), data as Json);
  },
});
