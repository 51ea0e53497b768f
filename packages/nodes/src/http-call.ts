import { emit, type Json, type NodeContext, NodeError, type NodeResult } from '@switchboard/engine';
import type { HttpOutcome, HttpRequest } from './routing-services.js';

/** A sensible wait for one call to a CRM, Slack or a helpdesk (the HTTP node lets the flow choose). */
export const DEFAULT_TIMEOUT_MS = 10_000;

export type HttpResponse = Extract<HttpOutcome, { ok: true }>;

/** What an HTTP-based node reports on its `error` output. */
export interface HttpErrorData {
  reason: string;
  status: number | null;
  message: string;
  body: Json;
}

type CallContext = Pick<NodeContext<unknown>, 'services' | 'attempt' | 'maxTries' | 'signal' | 'log'> &
  Partial<Pick<NodeContext<unknown>, 'run' | 'node'>>;

/** Emits `error` with the shape every HTTP, CRM, Slack and helpdesk node uses. */
export function errorResult(error: {
  reason: string;
  message: string;
  status?: number | null;
  body?: Json;
}): NodeResult {
  const data: HttpErrorData = {
    reason: error.reason,
    status: error.status ?? null,
    message: error.message,
    body: error.body ?? null,
  };
  return emit('error', data as unknown as Json);
}

/** Worth another try: no answer at all, rate limiting, or the server's own trouble. */
function isTransient(outcome: Extract<HttpOutcome, { ok: false }>): boolean {
  if (outcome.reason === 'timeout' || outcome.reason === 'network') return true;
  return (
    outcome.reason === 'http_status' &&
    outcome.status !== null &&
    (outcome.status === 429 || outcome.status >= 500)
  );
}

/**
 * One request through the host's HTTP service (which applies the credential; the node never sees the
 * secret). A transient failure throws a retryable error while the node's retry policy has tries left, so
 * the engine waits and tries again; on the last try, and at once for anything else (4xx, a missing or
 * wrong credential, a refused address), the failure becomes the node's `error` output.
 *
 * @example
 * const called = await callHttp(ctx, { method: 'POST', url: '/crm/v3/objects/notes', credential, body });
 * if (!called.ok) return called.result;
 */
export async function callHttp(
  ctx: CallContext,
  request: Omit<HttpRequest, 'signal' | 'timeoutMs'> & { timeoutMs?: number },
): Promise<{ ok: true; response: HttpResponse } | { ok: false; result: NodeResult }> {
  const http = ctx.services.http;
  if (!http)
    throw new NodeError('this host has no HTTP service, so HTTP, CRM and Slack nodes cannot run here', {
      retryable: false,
    });
  const outcome = await http.request({
    ...request,
    timeoutMs: request.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    signal: ctx.signal,
    ...(ctx.run || ctx.node ? { origin: { runId: ctx.run?.id, nodeId: ctx.node?.id } } : {}),
  });
  if (outcome.ok) return { ok: true, response: outcome };
  // The host's messages usually name the request already ("POST https://host/path answered 401").
  const where = `${request.method} ${request.url || '(the credential’s URL)'}`;
  const said = outcome.message.startsWith(`${request.method} `)
    ? outcome.message
    : `${where}: ${outcome.message}`;
  const what = outcome.status !== null ? `HTTP ${outcome.status}` : outcome.reason;
  if (isTransient(outcome) && ctx.attempt < ctx.maxTries) {
    throw new NodeError(`${what}: ${said} (try ${ctx.attempt} of ${ctx.maxTries})`, {
      code: outcome.reason,
      retryable: true,
    });
  }
  ctx.log.warn({ reason: outcome.reason, status: outcome.status, url: request.url }, 'HTTP call failed');
  return {
    ok: false,
    result: errorResult({
      reason: outcome.reason,
      status: outcome.status,
      message: said,
      ...(outcome.body !== undefined ? { body: outcome.body } : {}),
    }),
  };
}
