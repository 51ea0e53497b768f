import { type FakeAnswer, type FakeServer, type RecordedRequest, startRecorder } from './recorder.js';

/*
 * A fake Slack incoming webhook, shaped after the documentation:
 * - POST JSON `{ text, blocks? }` to https://hooks.slack.com/services/T…/B…/… (the URL is the secret)
 *   → 200 `ok` as text/plain (https://docs.slack.dev/tools/java-slack-sdk/guides/incoming-webhooks).
 * - Errors are short text bodies with an HTTP status: 400 `invalid_payload` (a body that is not valid
 *   JSON), 400 `no_text` (neither text nor blocks), 404 `no_service` (no webhook at this URL), 404
 *   `channel_not_found`, 410 `channel_is_archived`, 403 `action_prohibited`
 *   (https://api.slack.com/changelog/2016-05-17-changes-to-errors-for-incoming-webhooks).
 */

export interface SlackMessage {
  text?: string;
  blocks?: unknown[];
  [key: string]: unknown;
}

export interface FakeSlack extends FakeServer {
  /** `<url>/services/T…/B…/…`: what to store as the credential's webhookUrl. */
  webhookUrl: string;
  /** Messages accepted, oldest first. */
  messages: SlackMessage[];
}

const text = (status: number, body: string): FakeAnswer => ({ status, text: body });

export async function startFakeSlack(options: { path?: string } = {}): Promise<FakeSlack> {
  const path = options.path ?? '/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX';
  const messages: SlackMessage[] = [];

  const handle = (req: RecordedRequest): FakeAnswer => {
    if (req.path !== path) return text(404, 'no_service');
    if (req.method !== 'POST') return text(405, 'invalid_method');
    if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body))
      return text(400, 'invalid_payload');
    const message = req.body as SlackMessage;
    if (!message.text && !(Array.isArray(message.blocks) && message.blocks.length > 0))
      return text(400, 'no_text');
    messages.push(message);
    return text(200, 'ok');
  };

  const server = await startRecorder(handle, (status) => ({
    text: status === 429 ? 'rate_limited' : 'rollup_error',
  }));
  return { ...server, webhookUrl: `${server.url}${path}`, messages };
}
