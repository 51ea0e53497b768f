import { z } from 'zod';
import type { Api } from '../api.js';
import { INBOX } from '../roles.js';
import { type InboxScope, inboxScope } from '../routes/inbox-scope.js';
import type { Runtime } from '../runtime.js';
import { type InboxEvent, payloadOf } from './events.js';

/** A comment line this often keeps proxies and load balancers from closing an idle stream. */
export const HEARTBEAT_MS = 15_000;
/** What the browser's EventSource waits before reconnecting (the `retry:` field). */
export const RETRY_MS = 3_000;
/**
 * A stream ends after this long and the browser reconnects at once, authenticating again: a signed-out
 * session or a revoked key stops hearing events within this time.
 */
export const MAX_STREAM_MS = 10 * 60_000;
/** A client this far behind (bytes not yet taken by the socket) is dropped; it reconnects and refetches. */
const MAX_BUFFERED = 1_000_000;
/** How long an agent's "is this contact in my teams" answer is reused. */
const CONTACT_CACHE_MS = 10_000;

/**
 * `GET /api/inbox/stream`: Server-Sent Events for the inbox. An agent hears about their teams'
 * conversations and their contacts' messages only; owners and admins hear everything. The first event,
 * `ready`, says the stream is listening: a client refetches what it shows then (and after every
 * reconnect), and on each later event refetches the conversation or message it names.
 */
export function inboxStreamRoute(api: Api, rt: Runtime): void {
  api.add({
    method: 'get',
    path: '/api/inbox/stream',
    roles: INBOX,
    tag: 'routing',
    summary:
      'Live inbox updates (text/event-stream): `conversation` and `message` events with ids only, scoped to an agent’s teams; a heartbeat comment every 15 s',
    responses: {
      200: {
        description:
          'An event stream: `ready` {teams}, then `conversation` {id, teamId, agentId, state, reason, fromTeamId?} and `message` {conversationId, waId, channel, direction, messageId, status?}',
        schema: z.string(),
        contentType: 'text/event-stream',
      },
    },
    handler: async ({ req }, res) => {
      let scope = await inboxScope(rt, res);
      res.status(200);
      res.setHeader('content-type', 'text/event-stream; charset=utf-8');
      res.setHeader('cache-control', 'no-cache, no-transform');
      res.setHeader('connection', 'keep-alive');
      // nginx (deploy/) would otherwise buffer the stream.
      res.setHeader('x-accel-buffering', 'no');
      res.flushHeaders();
      res.write(`retry: ${RETRY_MS}\n\n`);
      res.write(`event: ready\ndata: ${JSON.stringify({ teams: scope ? scope.teams : null })}\n\n`);

      const contacts = new Map<string, { inbox: boolean; at: number }>();
      // Bumped whenever the cache is cleared: an answer read before that is not kept.
      let generation = 0;
      const forget = () => {
        generation++;
        contacts.clear();
      };
      const reaches = async (s: InboxScope, event: InboxEvent): Promise<boolean> => {
        if (event.type === 'conversation')
          return s.teams.includes(event.teamId) || (!!event.fromTeamId && s.teams.includes(event.fromTeamId));
        const key = `${event.channel}\n${event.waId}`;
        const cached = contacts.get(key);
        if (cached && Date.now() - cached.at < CONTACT_CACHE_MS) return cached.inbox;
        const asked = generation;
        const inbox = await rt.routing.conversations.contactInTeams(event.channel, event.waId, s.teams);
        if (contacts.size > 1_000) forget();
        if (asked === generation) contacts.set(key, { inbox, at: Date.now() });
        return inbox;
      };

      let ended = false;
      const send = (event: InboxEvent) => {
        if (ended) return;
        if (res.writableLength > MAX_BUFFERED) return end();
        res.write(`event: ${event.type}\ndata: ${JSON.stringify(payloadOf(event))}\n\n`);
      };
      // Events are checked one after another, so they reach the client in the order they were published.
      let queue: Promise<void> = Promise.resolve();
      const unsubscribe = rt.inbox.subscribe((event) => {
        const s = scope;
        if (!s) return send(event);
        // A conversation that arrives in the agent's team makes its contact theirs: ask again.
        if (event.type === 'conversation') forget();
        queue = queue
          .then(() => reaches(s, event).then((yes) => void (yes && send(event))))
          .catch((error) => rt.logger.warn({ err: error }, 'inbox stream: scope check failed'));
      });
      const heartbeat = setInterval(() => {
        if (ended) return;
        res.write(': heartbeat\n\n');
        // Teams change (an agent moved to another team): the scope follows within one heartbeat.
        if (scope)
          inboxScope(rt, res).then(
            (s) => {
              scope = s;
              forget();
            },
            () => {},
          );
      }, HEARTBEAT_MS);
      const maxAge = setTimeout(() => end(), MAX_STREAM_MS);
      function end() {
        if (ended) return;
        ended = true;
        clearInterval(heartbeat);
        clearTimeout(maxAge);
        unsubscribe();
        res.end();
      }
      req.on('close', end);
      res.on('close', end);
      res.on('error', end);
      // The client may have gone while the scope was read.
      if (req.destroyed || res.destroyed) end();
    },
  });
}
