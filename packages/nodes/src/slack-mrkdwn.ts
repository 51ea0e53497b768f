// Slack mrkdwn, for every text Switchboard posts to Slack (the Slack node, SLA escalations, alert notices).

/**
 * Slack reads `<…>` as links and mentions (`<!channel>`) and `&` as an entity: escaping them keeps a
 * customer's message or a rule's name from pinging a channel or faking a link. *Bold* and _italic_ still
 * work.
 */
export const escapeMrkdwn = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A `<url|label>` link: the URL must not close the link early, the label must not contain `|` or `>`. */
export function slackLink(url: string, label: string): string {
  const safeUrl = url.replace(/\|/g, '%7C').replace(/</g, '%3C').replace(/>/g, '%3E');
  return `<${safeUrl}|${escapeMrkdwn(label).replace(/\|/g, '/')}>`;
}
