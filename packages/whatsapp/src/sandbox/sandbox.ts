import { randomBytes } from 'node:crypto';
import { signBody } from '../signature.js';
import {
  type BusinessNumber,
  inboundMessagePayload,
  statusPayload,
  templateStatusPayload,
} from './payloads.js';
import { SandboxTemplates, type TemplateReview } from './templates.js';

/** One answer the fake Graph API gives instead of a success, for testing retries and failures. */
export interface SandboxFault {
  /** HTTP status to answer (e.g. 429, 500, 400). */
  status: number;
  /** Meta error code in the body (e.g. 130429, 131047). */
  code?: number;
  message?: string;
  retryAfterSeconds?: number;
  /** Delay before answering. */
  latencyMs?: number;
}

export interface SandboxSend {
  /** Milliseconds since the epoch when the request arrived. */
  at: number;
  phoneNumberId: string;
  body: Record<string, unknown>;
  status: number;
  messageId: string | null;
}

/** A business number the sandbox answers for. */
export interface SandboxBusiness extends BusinessNumber {
  /** Signs the webhooks the sandbox posts. */
  appSecret: string;
  /** When set, sends must carry exactly this bearer token (otherwise any well-formed one will do). */
  accessToken?: string;
}

/** Sends to a recipient that end in a `failed` status webhook with this error. */
export interface RecipientFailure {
  code: number;
  title: string;
  /** How many more sends fail; undefined: every one, until `reset`. */
  times?: number;
  /** Only sends from this business number (default: any). */
  phoneNumberId?: string;
}

export interface SandboxOptions {
  /** The business number for a phone number id (its app secret signs the webhooks). */
  business(phoneNumberId: string): SandboxBusiness | undefined;
  /** Where status webhooks and customer messages are posted (the real ingress). */
  ingressUrl(): string;
  /** Delays before the `sent`, `delivered` and `read` webhooks of an accepted message. */
  statusDelaysMs: readonly [number, number, number];
  fetch?: typeof fetch;
  now?: () => Date;
  /** The phone number ids of a WhatsApp Business Account (one the sandbox serves signs its template webhooks). */
  phoneNumbersOfWaba?(wabaId: string): string[];
  /** How long a submitted template stays PENDING before the review's webhook (default 2 000 ms). */
  templateReviewDelayMs?: number;
}

export interface GraphAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/**
 * A built-in fake of the Cloud API with the same HTTP shapes: it accepts sends, returns wamids, and
 * posts signed status webhooks back into the ingress. Faults can be queued (an error code, latency,
 * 429 bursts), recipients can be set to fail, and customer messages can be posted as if from WhatsApp.
 */
export class WhatsAppSandbox {
  /** What the fake Cloud API received, oldest first (the latest 10,000). */
  readonly sends: SandboxSend[] = [];
  /** Each account's message templates (seeded; created ones are reviewed after a delay). */
  readonly templates = new SandboxTemplates();
  private readonly faults: SandboxFault[] = [];
  private readonly failingRecipients = new Map<string, RecipientFailure>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly fetch: typeof fetch;
  private readonly now: () => Date;

  constructor(private readonly options: SandboxOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
    this.now = options.now ?? (() => new Date());
  }

  /** Queues answers for the next sends, in order (e.g. a 429 then a 500). */
  injectFaults(faults: SandboxFault[]): void {
    this.faults.push(...faults);
  }

  /**
   * Accepted sends to this recipient later get a `failed` status webhook with this error: every one, or
   * the next `times` (then sends succeed again); from any business number, or only `phoneNumberId`'s.
   */
  failRecipient(
    waId: string,
    error: { code: number; title: string },
    options: { times?: number; phoneNumberId?: string } = {},
  ): void {
    this.failingRecipients.set(failureKey(waId, options.phoneNumberId), {
      code: error.code,
      title: error.title,
      ...options,
    });
  }

  reset(): void {
    this.faults.length = 0;
    this.sends.length = 0;
    this.failingRecipients.clear();
  }

  /**
   * `GET` and `POST /{version}/{wabaId}/message_templates`, answered like Graph. A created template
   * answers PENDING; after `templateReviewDelayMs` it becomes APPROVED (or REJECTED when obviously bad)
   * and a signed `message_template_status_update` webhook is posted, as Meta does.
   */
  handleTemplates(args: {
    method: 'GET' | 'POST';
    wabaId: string;
    authorization: string | undefined;
    url: string;
    body?: unknown;
  }): GraphAnswer {
    const business = this.businessOfWaba(args.wabaId);
    if (!args.authorization?.startsWith('Bearer ') || args.authorization.length < 12)
      return graphError(401, 190, 'Invalid OAuth access token.', 'OAuthException');
    if (business?.accessToken !== undefined && args.authorization !== `Bearer ${business.accessToken}`)
      return graphError(401, 190, 'Invalid OAuth access token.', 'OAuthException');
    if (!business)
      return graphError(400, 100, `Unsupported request. Object with ID '${args.wabaId}' does not exist.`);
    if (args.method === 'GET')
      return this.templates.list(args.wabaId, new URL(args.url).searchParams, args.url);
    const { answer, review } = this.templates.create(args.wabaId, args.body);
    if (review) this.scheduleReview(review);
    return answer;
  }

  /**
   * Changes a template's status as Meta would (a review, a pause for low quality, a disable) and posts
   * the status webhook. Returns false when the account has no such template.
   */
  async setTemplateStatus(
    wabaId: string,
    templateId: string,
    status: string,
    reason = 'NONE',
  ): Promise<boolean> {
    const template = this.templates.setStatus(wabaId, templateId, status, reason);
    const business = this.businessOfWaba(wabaId);
    if (!template || !business) return false;
    const payload = templateStatusPayload({
      wabaId,
      templateId,
      name: template.name,
      language: template.language,
      event: status,
      reason,
      at: this.now(),
    });
    await this.post(business.appSecret, payload);
    return true;
  }

  /** The first number of the account the sandbox answers for (`business`), or undefined. */
  private businessOfWaba(wabaId: string): SandboxBusiness | undefined {
    for (const id of this.options.phoneNumbersOfWaba?.(wabaId) ?? []) {
      const business = this.options.business(id);
      if (business) return business;
    }
    return undefined;
  }

  private scheduleReview(review: TemplateReview) {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.setTemplateStatus(review.wabaId, review.template.id, review.status, review.reason).catch(
        () => {},
      );
    }, this.options.templateReviewDelayMs ?? 2_000);
    timer.unref?.();
    this.timers.add(timer);
  }

  /** `POST /{version}/{phoneNumberId}/messages`, answered like Graph. */
  async handleSend(
    phoneNumberId: string,
    authorization: string | undefined,
    body: unknown,
  ): Promise<GraphAnswer> {
    const at = Date.now();
    const fault = this.faults.shift();
    if (fault?.latencyMs) await new Promise((r) => setTimeout(r, fault.latencyMs));
    const record = (status: number, messageId: string | null) => {
      if (this.sends.length >= MAX_SENDS) this.sends.splice(0, this.sends.length - MAX_SENDS + 1);
      this.sends.push({
        at,
        phoneNumberId,
        body: (body ?? {}) as Record<string, unknown>,
        status,
        messageId,
      });
    };
    if (!authorization?.startsWith('Bearer ') || authorization.length < 12) {
      record(401, null);
      return graphError(401, 190, 'Invalid OAuth access token.', 'OAuthException');
    }
    const business = this.options.business(phoneNumberId);
    if (business?.accessToken !== undefined && authorization !== `Bearer ${business.accessToken}`) {
      record(401, null);
      return graphError(401, 190, 'Invalid OAuth access token.', 'OAuthException');
    }
    if (!business) {
      record(400, null);
      return graphError(
        400,
        100,
        `Unsupported post request. Object with ID '${phoneNumberId}' does not exist.`,
      );
    }
    if (fault && fault.status >= 400) {
      record(fault.status, null);
      const answer = graphError(
        fault.status,
        fault.code ?? (fault.status === 429 ? 130429 : 131000),
        fault.message ?? 'Injected fault',
      );
      if (fault.retryAfterSeconds !== undefined)
        answer.headers = { 'retry-after': String(fault.retryAfterSeconds) };
      return answer;
    }
    const b = (body ?? {}) as Record<string, unknown>;
    if (b.messaging_product !== 'whatsapp') {
      record(400, null);
      return graphError(400, 100, '(#100) The parameter messaging_product is required.');
    }
    if (b.status === 'read') {
      record(200, null);
      return { status: 200, body: { success: true } };
    }
    const to = typeof b.to === 'string' ? b.to.replace(/\D/g, '') : '';
    if (!to || typeof b.type !== 'string') {
      record(400, null);
      return graphError(400, 100, '(#100) The parameters to and type are required.');
    }
    const messageId = `wamid.SANDBOX${randomBytes(12).toString('hex').toUpperCase()}`;
    record(200, messageId);
    this.scheduleStatuses(business, messageId, to);
    return {
      status: 200,
      body: {
        messaging_product: 'whatsapp',
        contacts: [{ input: b.to, wa_id: to }],
        messages: [{ id: messageId }],
      },
    };
  }

  /**
   * Posts a customer message through the real ingress, signed like Meta does. `message` is Meta's typed
   * part, e.g. `{ type: 'text', text: { body: 'hola' } }`. Returns the ingress answer's status and the wamid.
   */
  async customerMessage(args: {
    phoneNumberId: string;
    from: string;
    name?: string | null;
    message: Record<string, unknown> & { type: string };
    /** The wamid to use (default: a new one), e.g. to record something about it before it is posted. */
    messageId?: string;
  }): Promise<{ status: number; messageId: string }> {
    const business = this.options.business(args.phoneNumberId);
    if (!business) throw new Error(`no channel with phone number id ${args.phoneNumberId}`);
    const messageId = args.messageId ?? WhatsAppSandbox.newInboundId();
    const payload = inboundMessagePayload({
      business,
      from: args.from,
      name: args.name ?? null,
      id: messageId,
      at: this.now(),
      message: args.message,
    });
    const status = await this.post(business.appSecret, payload);
    return { status, messageId };
  }

  /** A new wamid for a customer message. */
  static newInboundId(): string {
    return `wamid.SANDBOXIN${randomBytes(12).toString('hex').toUpperCase()}`;
  }

  /** Stops pending status webhooks (on shutdown). */
  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** The failure waiting for this send, if any (a counted one is used up). */
  private takeFailure(phoneNumberId: string, recipient: string): RecipientFailure | undefined {
    const key = [failureKey(recipient, phoneNumberId), failureKey(recipient)].find((k) =>
      this.failingRecipients.has(k),
    );
    const failure = key === undefined ? undefined : this.failingRecipients.get(key);
    if (key === undefined || !failure) return undefined;
    if (failure.times !== undefined) {
      if (failure.times <= 1) this.failingRecipients.delete(key);
      else this.failingRecipients.set(key, { ...failure, times: failure.times - 1 });
    }
    return failure;
  }

  private scheduleStatuses(business: SandboxBusiness, messageId: string, recipient: string) {
    const failed = this.takeFailure(business.phoneNumberId, recipient);
    const failure = failed ? { code: failed.code, title: failed.title } : undefined;
    const steps: Array<['sent' | 'delivered' | 'read' | 'failed', number]> = failure
      ? [['failed', this.options.statusDelaysMs[0]]]
      : [
          ['sent', this.options.statusDelaysMs[0]],
          ['delivered', this.options.statusDelaysMs[1]],
          ['read', this.options.statusDelaysMs[2]],
        ];
    for (const [status, delay] of steps) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        const payload = statusPayload({
          business,
          messageId,
          recipient,
          status,
          at: this.now(),
          ...(failure ? { error: failure } : {}),
        });
        void this.post(business.appSecret, payload).catch(() => {});
      }, delay);
      timer.unref?.();
      this.timers.add(timer);
    }
  }

  private async post(appSecret: string, payload: unknown): Promise<number> {
    // Meta signs an escaped-unicode body; sign exactly the bytes we send.
    const raw = Buffer.from(escapeUnicode(JSON.stringify(payload)));
    const res = await this.fetch(this.options.ingressUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(raw, appSecret) },
      body: raw,
    });
    await res.arrayBuffer();
    return res.status;
  }
}

/** Sends remembered for `GET /api/sandbox/sends` (older ones are dropped). */
const MAX_SENDS = 10_000;

const failureKey = (waId: string, phoneNumberId?: string) =>
  phoneNumberId ? `${phoneNumberId}:${waId}` : waId;

/** JSON with every non-ASCII character as a lowercase `\uXXXX` escape, the way Meta sends it. */
export function escapeUnicode(json: string): string {
  return json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function graphError(status: number, code: number, message: string, type = 'OAuthException'): GraphAnswer {
  return {
    status,
    body: {
      error: {
        message: `(#${code}) ${message}`,
        type,
        code,
        error_data: { messaging_product: 'whatsapp', details: message },
        fbtrace_id: `Sandbox${randomBytes(6).toString('hex')}`,
      },
    },
  };
}
