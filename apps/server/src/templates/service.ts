import type { Database, TemplateInput, TemplateRow } from '@switchboard/db';
import {
  CloudApiError,
  type GraphRequest,
  type MessageTemplate,
  type NewTemplate,
  TemplateClient,
  type WhatsAppSandbox,
} from '@switchboard/whatsapp';
import { type Channel, type ChannelService, SIMULATOR_CHANNEL } from '../channels.js';
import type { Config } from '../config.js';
import type { AppLogger } from '../logger.js';

/** The sandbox's account id for a channel without one (the sandbox serves any id). */
export const SANDBOX_WABA = '0';

export type SyncOutcome =
  | { channelId: string; ok: true; count: number }
  | { channelId: string; ok: false; error: string };

/** A stored row as the API and the send check see it: Meta's template shape plus our bookkeeping. */
export function asMessageTemplate(row: TemplateRow): MessageTemplate {
  return {
    id: row.providerId,
    name: row.name,
    language: row.language,
    category: row.category,
    status: row.status,
    parameter_format: row.parameterFormat === 'NAMED' ? 'NAMED' : 'POSITIONAL',
    components: row.components as MessageTemplate['components'],
  };
}

function toInput(t: MessageTemplate): TemplateInput {
  return {
    providerId: t.id,
    name: t.name,
    language: t.language,
    category: t.category.toUpperCase(),
    status: t.status.toUpperCase(),
    parameterFormat: t.parameter_format ?? 'POSITIONAL',
    components: t.components,
    quality: t.quality_score?.score ?? null,
    rejectedReason: t.rejected_reason && t.rejected_reason !== 'NONE' ? t.rejected_reason : null,
  };
}

/**
 * Each channel's message templates: synced from its WhatsApp Business Account (the sandbox's, in
 * process, for sandbox channels and the simulator's), created and submitted for review, and read by the
 * send check. A channel with no WABA id in live mode has no templates to sync.
 */
export class TemplateService {
  constructor(
    private readonly deps: {
      database: Database;
      channels: ChannelService;
      sandbox: WhatsAppSandbox;
      config: Pick<Config, 'whatsapp'>;
      logger: AppLogger;
      /** Real Graph requests (default: fetch). */
      request?: GraphRequest;
    },
  ) {}

  private usesSandbox(channel: Channel): boolean {
    return this.deps.config.whatsapp.mode === 'sandbox' || channel.id === SIMULATOR_CHANNEL;
  }

  /** The account a channel's templates live in, or null when it has none to sync. */
  wabaOf(channel: Channel): string | null {
    return channel.wabaId ?? (this.usesSandbox(channel) ? SANDBOX_WABA : null);
  }

  private client(channel: Channel, wabaId: string): TemplateClient {
    const sandbox = this.usesSandbox(channel);
    const wa = this.deps.config.whatsapp;
    return new TemplateClient({
      apiUrl: sandbox ? 'http://sandbox.internal' : (wa.apiUrl ?? 'https://graph.facebook.com'),
      apiVersion: wa.apiVersion,
      wabaId,
      accessToken: channel.secrets.accessToken,
      ...(sandbox
        ? { request: this.sandboxRequest }
        : this.deps.request
          ? { request: this.deps.request }
          : {}),
    });
  }

  // The sandbox answers in process: no HTTP round trip, and it works before the server listens.
  private readonly sandboxRequest: GraphRequest = async (url, init) => {
    const wabaId = decodeURIComponent(new URL(url).pathname.split('/')[2] ?? '');
    const answer = this.deps.sandbox.handleTemplates({
      method: init.method,
      wabaId,
      authorization: init.headers.authorization,
      url,
      body: init.body ? JSON.parse(init.body) : undefined,
    });
    return { status: answer.status, headers: answer.headers ?? {}, text: JSON.stringify(answer.body) };
  };

  /** Replaces the channel's stored templates with what its account lists now. */
  async sync(channelId: string): Promise<SyncOutcome> {
    const channel = this.deps.channels.get(channelId);
    if (!channel) return { channelId, ok: false, error: `no channel "${channelId}"` };
    const wabaId = this.wabaOf(channel);
    if (!wabaId)
      return {
        channelId,
        ok: false,
        error: `channel "${channelId}" has no WhatsApp Business Account id (wabaId)`,
      };
    const at = new Date().toISOString();
    try {
      const listed = await this.client(channel, wabaId).list();
      const rows = await this.deps.database.repos.templates.replaceChannel(
        channelId,
        wabaId,
        listed.map(toInput),
        at,
      );
      return { channelId, ok: true, count: rows.length };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.deps.database.repos.templates.syncFailed(channelId, wabaId, message, at);
      this.deps.logger.warn({ channel: channelId, err: message }, 'syncing message templates failed');
      return { channelId, ok: false, error: message };
    }
  }

  /** Syncs every channel that has an account (one failing does not stop the others). */
  async syncAll(): Promise<SyncOutcome[]> {
    const out: SyncOutcome[] = [];
    for (const channel of this.deps.channels.all())
      if (this.wabaOf(channel)) out.push(await this.sync(channel.id));
    return out;
  }

  /** Submits a template (already checked with Meta's rules) and stores it as Meta answered (PENDING). */
  async create(channelId: string, template: NewTemplate): Promise<TemplateRow> {
    const channel = this.deps.channels.get(channelId);
    if (!channel) throw new TemplateRequestError(`no channel "${channelId}"`, '$.channelId');
    const wabaId = this.wabaOf(channel);
    if (!wabaId)
      throw new TemplateRequestError(
        `channel "${channelId}" has no WhatsApp Business Account id (wabaId)`,
        '$.channelId',
      );
    let created: Awaited<ReturnType<TemplateClient['create']>>;
    try {
      created = await this.client(channel, wabaId).create(template);
    } catch (error) {
      if (error instanceof CloudApiError && error.kind === 'permanent')
        throw new TemplateRequestError(
          `WhatsApp refused the template: ${error.details ?? error.message}`,
          '$',
        );
      throw error;
    }
    return this.deps.database.repos.templates.insert(
      channelId,
      wabaId,
      {
        providerId: created.id,
        name: template.name,
        language: template.language,
        category: created.category.toUpperCase(),
        status: created.status.toUpperCase(),
        parameterFormat: template.parameter_format ?? 'POSITIONAL',
        components: template.components,
        quality: null,
        rejectedReason: null,
      },
      new Date().toISOString(),
    );
  }
}

/** A create request WhatsApp (or our own check) refused: a 422 naming the field. */
export class TemplateRequestError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}
