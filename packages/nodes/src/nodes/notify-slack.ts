import { defineNode, emit, type Json, NodeError } from '@switchboard/engine';
import { z } from 'zod';
import { customerText, given, triggerContact } from '../customer.js';
import { callHttp, errorResult } from '../http-call.js';
import { labels } from '../labels.js';
import { escapeMrkdwn, slackLink } from '../slack-mrkdwn.js';

/** Slack shows a section's text up to 3000 characters. */
const SECTION_MAX = 3000;

/** "*Ana* (+34600000001): tengo un problema con mi factura": who wrote, and what. */
function defaultText(input: unknown, trigger: unknown): string {
  const { name, waId } = triggerContact(trigger);
  const number = waId ? `+${waId}` : null;
  const who = name ? `*${name}*${number ? ` (${number})` : ''}` : (number ?? 'A customer');
  const said = customerText(input, trigger);
  return said ? `${who}: ${said}` : who;
}

/**
 * Posts a message to a Slack channel through an incoming-webhook credential: the one named, or the
 * team's own (by default the team a "Route to team" node chose). The text keeps Slack's *bold* and
 * _italic_; an optional link goes below it.
 */
export const notifySlack = defineNode({
  type: 'notify.slack',
  category: 'routing',
  sideEffect: true,
  labels: labels(
    ['Notify on Slack', 'Posts a message to a team’s Slack channel, e.g. a new urgent conversation.'],
    [
      'Avisar por Slack',
      'Publica un mensaje en el canal de Slack de un equipo, p. ej. una conversación urgente nueva.',
    ],
  ),
  params: z.strictObject({
    credential: z.string().min(1).optional().describe('Slack credential (incoming webhook) to post with'),
    team: z
      .string()
      .min(1)
      .default('{{ input.team.id }}')
      .describe('Without a credential: the team whose Slack channel to post to (default: the routed team)'),
    text: z
      .string()
      .max(40_000, 'at most 40000 characters')
      .optional()
      .describe(
        'Default: the contact’s name, number and message. *bold* and _italic_ work; for a link use "link"',
      ),
    link: z
      .string()
      .optional()
      .refine((url) => !url || /^https?:\/\/\S+$/.test(url), 'must be an http(s) address')
      .describe('An address shown below the text, e.g. the conversation in your inbox'),
    linkLabel: z.string().min(1).max(80).default('Open').describe('Text of the link'),
  }),
  outputs: ['out', 'error'],
  execute: async (ctx) => {
    const p = ctx.params;
    let credential = given(p.credential);
    if (!credential) {
      const teamName = given(p.team);
      if (!teamName)
        return errorResult({
          reason: 'missing_credential',
          message: 'no Slack credential or team: name one, or put a "Route to team" node before this one',
        });
      const routing = ctx.services.routing;
      if (!routing) throw new NodeError('this host has no routing service (teams)', { retryable: false });
      const team = await routing.team({ team: teamName });
      if (!team) return errorResult({ reason: 'unknown_team', message: `team "${teamName}" does not exist` });
      if (!team.slackCredential)
        return errorResult({
          reason: 'no_slack_credential',
          message: `team "${team.name}" has no Slack credential: set one for the team, or name one here`,
        });
      credential = team.slackCredential;
    }
    const text = escapeMrkdwn(p.text?.trim() ? p.text : defaultText(ctx.input, ctx.trigger));
    const blocks: Json[] = [{ type: 'section', text: { type: 'mrkdwn', text: text.slice(0, SECTION_MAX) } }];
    if (p.link)
      blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: slackLink(p.link, p.linkLabel) }] });
    const called = await callHttp(ctx, {
      method: 'POST',
      url: '',
      credential,
      credentialTypes: ['slack'],
      body: { text, blocks },
    });
    if (!called.ok) return called.result;
    return emit('out', { credential, status: called.response.status });
  },
});
