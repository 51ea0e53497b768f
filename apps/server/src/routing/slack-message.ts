import type { Conversation } from '@switchboard/db';
import { escapeMrkdwn } from '@switchboard/nodes';

/** The longest summary quoted in a notification (Slack cuts long messages into "show more" anyway). */
const SUMMARY_MAX = 300;

/**
 * The Slack text for a conversation whose SLA passed: who, which number, which team, how long they
 * have waited, what they wrote, and a link to the conversation.
 */
export function slackEscalationText(args: {
  conversation: Conversation;
  /** The team whose SLA passed. */
  team: string;
  /** The team it was moved to, if any. */
  movedTo: string | null;
  waitedMinutes: number;
  link: string;
}): string {
  const c = args.conversation;
  const who = c.contactName
    ? `*${escapeMrkdwn(c.contactName)}* (+${escapeMrkdwn(c.waId)})`
    : `*+${escapeMrkdwn(c.waId)}*`;
  const sla = c.slaMinutes !== null ? ` (SLA ${c.slaMinutes} min)` : '';
  const summary = c.summary.trim();
  const quoted = summary.length > SUMMARY_MAX ? `${summary.slice(0, SUMMARY_MAX - 1)}…` : summary;
  return [
    `:rotating_light: *No answer in time* in *${escapeMrkdwn(args.team)}* (${c.priority} priority)`,
    `${who} has been waiting ${args.waitedMinutes} min${sla}.`,
    ...(args.movedTo ? [`Moved to *${escapeMrkdwn(args.movedTo)}*.`] : []),
    ...(quoted ? [`> ${escapeMrkdwn(quoted).replace(/\n/g, '\n> ')}`] : []),
    `<${args.link}|Open the conversation>`,
  ].join('\n');
}
