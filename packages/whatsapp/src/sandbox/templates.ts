import { randomBytes } from 'node:crypto';
import { type MessageTemplate, validateNewTemplate } from '../templates/definition.js';
import type { GraphAnswer } from './sandbox.js';
import { seedTemplates } from './template-seed.js';

/** A template review the sandbox will finish: APPROVED, or REJECTED with Meta's reason. */
export interface TemplateReview {
  wabaId: string;
  template: MessageTemplate;
  status: 'APPROVED' | 'REJECTED';
  reason: string;
}

// Words that get a template rejected in the sandbox, standing in for Meta's content review.
const OBVIOUSLY_BAD = /\b(casino|crypto|bitcoin|lottery|loter[ií]a|free money|dinero f[aá]cil)\b/i;

/**
 * The sandbox's message templates, per WhatsApp Business Account: each account starts with the seed
 * templates; `create` validates like Meta and answers PENDING, and `review` decides what Meta's review
 * would (the sandbox posts the status webhook after a delay).
 */
export class SandboxTemplates {
  private readonly accounts = new Map<string, MessageTemplate[]>();

  private of(wabaId: string): MessageTemplate[] {
    let list = this.accounts.get(wabaId);
    if (!list) {
      list = seedTemplates(wabaId);
      this.accounts.set(wabaId, list);
    }
    return list;
  }

  /** `GET /{waba-id}/message_templates`, paged with `limit` and the `after` cursor like Graph. */
  list(wabaId: string, query: URLSearchParams, selfUrl: string): GraphAnswer {
    const all = this.of(wabaId);
    const limit = Math.min(Math.max(Number(query.get('limit')) || 25, 1), 250);
    const start = Number(decodeCursor(query.get('after')) ?? 0);
    const data = all.slice(start, start + limit);
    const end = start + data.length;
    const cursors = { before: encodeCursor(start), after: encodeCursor(end) };
    const next = new URL(selfUrl);
    next.searchParams.set('after', cursors.after);
    return {
      status: 200,
      body: { data, paging: { cursors, ...(end < all.length ? { next: next.toString() } : {}) } },
    };
  }

  /** `POST /{waba-id}/message_templates`: a Graph error for what Meta would refuse, else PENDING. */
  create(wabaId: string, body: unknown): { answer: GraphAnswer; review?: TemplateReview } {
    const checked = validateNewTemplate(body);
    if (!checked.ok) {
      const first = checked.problems[0];
      return { answer: graphError(400, 100, `Invalid parameter: ${first?.path}: ${first?.message}`) };
    }
    const list = this.of(wabaId);
    const t = checked.template;
    if (list.some((x) => x.name === t.name && x.language === t.language))
      return {
        answer: graphError(400, 100, `Message template "${t.name}" already exists in ${t.language}`, 2388024),
      };
    const template: MessageTemplate = {
      id: String(Date.now()) + String(Math.floor(Math.random() * 1000)).padStart(3, '0'),
      name: t.name,
      language: t.language,
      category: t.category,
      ...(t.parameter_format ? { parameter_format: t.parameter_format } : {}),
      components: t.components,
      status: 'PENDING',
      rejected_reason: 'NONE',
      quality_score: { score: 'UNKNOWN' },
    };
    list.push(template);
    const text = t.components
      .map((c) => `${c.text ?? ''} ${(c.buttons ?? []).map((b) => b.text).join(' ')}`)
      .join(' ');
    const bad = OBVIOUSLY_BAD.test(text) || OBVIOUSLY_BAD.test(t.name.replace(/_/g, ' '));
    return {
      answer: { status: 200, body: { id: template.id, status: 'PENDING', category: t.category } },
      review: {
        wabaId,
        template,
        status: bad ? 'REJECTED' : 'APPROVED',
        reason: bad ? 'ABUSIVE_CONTENT' : 'NONE',
      },
    };
  }

  /** Sets a template's status (a finished review, or a test pausing one); undefined if there is none. */
  setStatus(wabaId: string, id: string, status: string, reason = 'NONE'): MessageTemplate | undefined {
    const template = this.of(wabaId).find((t) => t.id === id);
    if (!template) return undefined;
    template.status = status;
    template.rejected_reason = reason;
    if (status === 'APPROVED' && template.quality_score?.score === 'UNKNOWN')
      template.quality_score = { score: 'GREEN' };
    return template;
  }

  reset(): void {
    this.accounts.clear();
  }
}

const encodeCursor = (n: number) => Buffer.from(String(n)).toString('base64url');
const decodeCursor = (c: string | null) => (c ? Buffer.from(c, 'base64url').toString() : null);

function graphError(status: number, code: number, message: string, subcode?: number): GraphAnswer {
  return {
    status,
    body: {
      error: {
        message: `(#${code}) ${message}`,
        type: 'OAuthException',
        code,
        ...(subcode ? { error_subcode: subcode } : {}),
        error_data: { messaging_product: 'whatsapp', details: message },
        fbtrace_id: `Sandbox${randomBytes(6).toString('hex')}`,
      },
    },
  };
}
