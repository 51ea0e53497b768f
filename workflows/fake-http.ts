import type { Json } from '@switchboard/engine';
import type { HttpOutcome, HttpService } from '@switchboard/nodes';

/** A case's canned answer to one request, e.g. `{ "status": 200, "body": { "results": [] } }`. */
export interface CannedResponse {
  status: number;
  body?: Json;
}

/**
 * Outbound HTTP for the fast example harness: answers from a case's canned responses, keyed by
 * `"METHOD url"` as the node asks (a CRM node's URL is relative to its credential, e.g.
 * `"POST /crm/v3/objects/contacts/search"`), and records every request the same way. A non-2xx answer
 * fails like the server's HTTP client does (`http_status`); a request with no canned answer gets a 404,
 * so it shows in the path (the node's `error` output) and in `requests`.
 */
export function fakeHttp(canned: Record<string, CannedResponse> = {}) {
  const requests: string[] = [];
  const service: HttpService = {
    async request(req): Promise<HttpOutcome> {
      const key = `${req.method} ${req.url}`;
      requests.push(key);
      const answer = canned[key] ?? { status: 404, body: { message: `no canned response for ${key}` } };
      const body = answer.body ?? null;
      if (answer.status >= 200 && answer.status < 300)
        return { ok: true, status: answer.status, headers: { 'content-type': 'application/json' }, body };
      return {
        ok: false,
        reason: 'http_status',
        status: answer.status,
        message: `HTTP ${answer.status}`,
        body,
      };
    },
  };
  return { service, requests };
}
