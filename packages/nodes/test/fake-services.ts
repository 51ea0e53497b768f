import type { Json, NodeServices } from '@switchboard/engine';
import { fold } from '../src/compare.js';
import type {
  AssignOutcome,
  AssignRequest,
  HttpOutcome,
  HttpRequest,
  RoutingService,
  TeamView,
} from '../src/routing-services.js';

export const team = (id: string, name: string, more: Partial<TeamView> = {}): TeamView => ({
  id,
  name,
  timezone: 'UTC',
  businessHours: null,
  holidays: [],
  slackCredential: null,
  ...more,
});

/**
 * A routing service over a fixed list of teams (found by id or by name, case- and accent-insensitive, as
 * the server does) that records every call; `assign` answers with `outcome` (default: assigned to Ana).
 */
export function fakeRouting(
  teams: TeamView[],
  outcome: (req: AssignRequest) => AssignOutcome = (req) => ({
    ok: true,
    conversationId: 'conv_1',
    team: { id: req.team, name: req.team },
    agent: { id: 'agent_ana', name: 'Ana' },
    state: 'assigned',
    queuedBecause: null,
    priority: req.priority,
    slaDueAt: null,
    reused: false,
  }),
) {
  const teamCalls: string[] = [];
  const assigned: AssignRequest[] = [];
  const routing: RoutingService = {
    async team({ team: wanted }) {
      teamCalls.push(wanted);
      return teams.find((t) => t.id === wanted || fold(t.name) === fold(wanted)) ?? null;
    },
    async assign(req) {
      assigned.push(req);
      const known = teams.find((t) => t.id === req.team || fold(t.name) === fold(req.team));
      if (!known) return { ok: false, reason: 'unknown_team', message: `no team "${req.team}"` };
      return outcome(req);
    },
  };
  return { teamCalls, assigned, services: { routing } as NodeServices };
}

export const ok = (body: Json, status = 200): HttpOutcome => ({ ok: true, status, headers: {}, body });
export const failed = (
  reason: Extract<HttpOutcome, { ok: false }>['reason'],
  status: number | null = null,
  body?: Json,
): HttpOutcome => ({
  ok: false,
  reason,
  status,
  message: status ? `HTTP ${status}` : reason,
  ...(body !== undefined ? { body } : {}),
});

/** The request as recorded: everything but the signal, whose presence is noted instead. */
export type RecordedRequest = Omit<HttpRequest, 'signal'> & { hasSignal: boolean };

/**
 * An HTTP service that answers with `answers` in turn (the last one repeats) and records every request.
 * An answer may be a function of the request, to answer by URL.
 */
export function fakeHttp(...answers: Array<HttpOutcome | ((req: HttpRequest) => HttpOutcome)>) {
  const requests: RecordedRequest[] = [];
  const http = {
    async request(req: HttpRequest): Promise<HttpOutcome> {
      // `origin` (the run step, for the host's audit) is left out: tests compare the request itself.
      const { signal, origin: _origin, ...rest } = req;
      requests.push({ ...rest, hasSignal: signal instanceof AbortSignal });
      const answer = answers[Math.min(requests.length - 1, answers.length - 1)] ?? ok(null);
      return typeof answer === 'function' ? answer(req) : answer;
    },
  };
  return { requests, services: { http } as NodeServices };
}

/** Retries with no wait, so a test runs every try at once. */
export const retryAtOnce = (maxTries: number) => ({ maxTries, backoffMs: 0, maxBackoffMs: 0, jitter: 0 });
