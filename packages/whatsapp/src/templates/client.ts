import { CloudApiError, parseGraphError } from '../outbound/errors.js';
import { type MessageTemplate, type NewTemplate, TemplatePage } from './definition.js';

/** One Graph request; the server passes Node's fetch, or the in-process sandbox. */
export type GraphRequest = (
  url: string,
  init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string; timeoutMs: number },
) => Promise<{ status: number; headers: Headers | Record<string, string>; text: string }>;

export interface TemplateClientOptions {
  /** Graph API origin, e.g. `https://graph.facebook.com`. */
  apiUrl: string;
  apiVersion: string;
  wabaId: string;
  accessToken: string;
  request?: GraphRequest;
  timeoutMs?: number;
  /** Stop after this many pages (a runaway `next` link must not loop for ever). Default 50. */
  maxPages?: number;
}

const FIELDS = 'id,name,language,status,category,parameter_format,components,rejected_reason,quality_score';

/** Lists and creates the message templates of a WhatsApp Business Account (`/{waba-id}/message_templates`). */
export class TemplateClient {
  readonly #base: string;
  readonly #accessToken: string;
  readonly #request: GraphRequest;
  readonly #timeoutMs: number;
  readonly #maxPages: number;

  constructor(options: TemplateClientOptions) {
    const origin = options.apiUrl.replace(/\/+$/, '');
    this.#base = `${origin}/${encodeURIComponent(options.apiVersion)}/${encodeURIComponent(options.wabaId)}/message_templates`;
    this.#accessToken = options.accessToken;
    this.#request = options.request ?? fetchRequest;
    this.#timeoutMs = options.timeoutMs ?? 15_000;
    this.#maxPages = options.maxPages ?? 50;
  }

  /** Every template of the account, following Meta's `paging.next` links. */
  async list(): Promise<MessageTemplate[]> {
    const out: MessageTemplate[] = [];
    let url: string | undefined = `${this.#base}?fields=${FIELDS}&limit=100`;
    for (let page = 0; url && page < this.#maxPages; page++) {
      const parsed = TemplatePage.safeParse(await this.#call('GET', url));
      if (!parsed.success)
        throw new CloudApiError('WhatsApp Cloud API answered templates in an unexpected shape', {
          status: 200,
          kind: 'permanent',
        });
      out.push(...parsed.data.data);
      url = parsed.data.paging?.next;
    }
    return out;
  }

  /** Submits a template for review; Meta answers its id, status (usually PENDING) and category. */
  async create(template: NewTemplate): Promise<{ id: string; status: string; category: string }> {
    const answer = (await this.#call('POST', this.#base, JSON.stringify(template))) as Record<
      string,
      unknown
    >;
    return {
      id: String(answer.id ?? ''),
      status: String(answer.status ?? 'PENDING'),
      category: String(answer.category ?? template.category),
    };
  }

  async #call(method: 'GET' | 'POST', url: string, body?: string): Promise<unknown> {
    let response: Awaited<ReturnType<GraphRequest>>;
    try {
      response = await this.#request(url, {
        method,
        headers: {
          authorization: `Bearer ${this.#accessToken}`,
          accept: 'application/json',
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body } : {}),
        timeoutMs: this.#timeoutMs,
      });
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new CloudApiError(
        `WhatsApp Cloud API request failed: ${reason.split(this.#accessToken).join('[redacted]')}`,
        {
          status: 0,
          kind: 'transient',
        },
      );
    }
    if (response.status < 200 || response.status >= 300)
      throw parseGraphError(response.status, response.text, response.headers);
    try {
      return JSON.parse(response.text);
    } catch {
      throw new CloudApiError('WhatsApp Cloud API answered with something that is not JSON', {
        status: response.status,
        kind: 'transient',
      });
    }
  }
}

const fetchRequest: GraphRequest = async (url, init) => {
  const response = await fetch(url, {
    method: init.method,
    headers: init.headers,
    ...(init.body ? { body: init.body } : {}),
    signal: AbortSignal.timeout(init.timeoutMs),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
};
