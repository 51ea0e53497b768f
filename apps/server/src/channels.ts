import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AsyncOf, ChannelRepository, ChannelRow } from '@switchboard/db';
import { verifySignature } from '@switchboard/whatsapp';
import type { Config } from './config.js';
import type { Vault } from './vault.js';

/** The editor's simulator talks to test contacts through this channel, always via the sandbox. */
export const SIMULATOR_CHANNEL = 'simulator';
/** The simulator channel's phone number id (only the sandbox ever sees it). */
export const SIMULATOR_PHONE_NUMBER_ID = '100000000009999';

export interface ChannelSecrets {
  accessToken: string;
  appSecret: string;
  verifyToken: string;
}

export interface Channel {
  id: string;
  name: string;
  phoneNumberId: string;
  wabaId: string | null;
  displayPhoneNumber: string | null;
  secrets: ChannelSecrets;
}

/** What the API shows of a channel: never the secrets, only whether each is set. */
export function publicChannel(c: Channel) {
  return {
    id: c.id,
    name: c.name,
    phoneNumberId: c.phoneNumberId,
    wabaId: c.wabaId,
    displayPhoneNumber: c.displayPhoneNumber,
    secrets: {
      accessToken: c.secrets.accessToken !== '',
      appSecret: c.secrets.appSecret !== '',
      verifyToken: c.secrets.verifyToken !== '',
    },
  };
}

/**
 * Business numbers with their decrypted secrets, cached in memory and kept in the vault at rest. The
 * cache is empty until `load` (call it at start); the reads are synchronous, from the cache, and every
 * write made here loads it again.
 */
export class ChannelService {
  private cache: Channel[] = [];
  /** Loads started, and the newest one whose rows are in the cache (an older one finishing late is dropped). */
  private loadsStarted = 0;
  private loadApplied = 0;

  constructor(
    private readonly repo: AsyncOf<ChannelRepository>,
    private readonly vault: Vault,
  ) {}

  /** Reads every channel into the cache (a wrong vault key throws here, saying which key and what to do). */
  async load(): Promise<void> {
    const started = ++this.loadsStarted;
    const rows = await this.repo.list();
    if (started < this.loadApplied) return;
    const cache = rows.map((row: ChannelRow) => ({
      id: row.id,
      name: row.name,
      phoneNumberId: row.phoneNumberId,
      wabaId: row.wabaId,
      displayPhoneNumber: row.displayPhoneNumber,
      // A wrong key stops the start here, with a message saying which key and what to do.
      secrets: JSON.parse(this.vault.open(row.secrets, `channel "${row.id}"`)) as ChannelSecrets,
    }));
    this.cache = cache;
    this.loadApplied = started;
  }

  /**
   * The default channel from WHATSAPP_* variables. In sandbox mode missing secrets are generated once
   * and kept, so signatures made by the sandbox verify across restarts.
   */
  ensureDefault(wa: Config['whatsapp'], at: string): Promise<Channel> {
    const existing = this.cache.find((c) => c.id === 'default');
    const generated = (prefix: string) =>
      wa.mode === 'sandbox' ? `${prefix}${randomBytes(16).toString('hex')}` : '';
    const secrets: ChannelSecrets = {
      accessToken: wa.accessToken ?? existing?.secrets.accessToken ?? generated('sandbox-token-'),
      appSecret: wa.appSecret ?? existing?.secrets.appSecret ?? generated('sandbox-secret-'),
      verifyToken: wa.verifyToken ?? existing?.secrets.verifyToken ?? generated('sandbox-verify-'),
    };
    return this.save(
      {
        id: 'default',
        name: wa.mode === 'sandbox' ? 'Sandbox' : 'Default',
        phoneNumberId: wa.phoneNumberId ?? existing?.phoneNumberId ?? '100000000000000',
        wabaId: wa.wabaId,
        displayPhoneNumber: wa.displayPhoneNumber,
        secrets,
      },
      at,
    );
  }

  /**
   * The built-in `simulator` channel of the editor's simulator, in every mode: its own phone number
   * id, and secrets generated once and kept (its messages only ever go to the WhatsApp sandbox).
   */
  async ensureSimulator(at: string): Promise<Channel> {
    const existing = this.get(SIMULATOR_CHANNEL);
    if (existing?.phoneNumberId === SIMULATOR_PHONE_NUMBER_ID) return existing;
    const generated = (prefix: string) => `${prefix}${randomBytes(16).toString('hex')}`;
    return this.save(
      {
        id: SIMULATOR_CHANNEL,
        name: 'Simulator',
        phoneNumberId: SIMULATOR_PHONE_NUMBER_ID,
        wabaId: null,
        displayPhoneNumber: '15550009999',
        secrets: existing?.secrets ?? {
          accessToken: generated('simulator-token-'),
          appSecret: generated('simulator-secret-'),
          verifyToken: generated('simulator-verify-'),
        },
      },
      at,
    );
  }

  async save(channel: Channel, at: string): Promise<Channel> {
    await this.repo.upsert({ ...channel, secrets: this.vault.encrypt(JSON.stringify(channel.secrets)) }, at);
    await this.load();
    return this.get(channel.id)!;
  }

  async remove(id: string): Promise<boolean> {
    const removed = await this.repo.delete(id);
    await this.load();
    return removed;
  }

  all(): readonly Channel[] {
    return this.cache;
  }

  get(id: string): Channel | undefined {
    return this.cache.find((c) => c.id === id);
  }

  byPhoneNumberId(phoneNumberId: string): Channel | undefined {
    return this.cache.find((c) => c.phoneNumberId === phoneNumberId);
  }

  /** The channel whose app secret signed these raw bytes, or undefined. */
  signedBy(raw: Buffer, header: string | undefined): Channel | undefined {
    if (!header) return undefined;
    return this.cache.find((c) => verifySignature(raw, header, c.secrets.appSecret));
  }

  verifyTokenMatches(token: string): boolean {
    const given = Buffer.from(token);
    return this.cache.some((c) => {
      const expected = Buffer.from(c.secrets.verifyToken);
      return expected.length > 0 && expected.length === given.length && timingSafeEqual(expected, given);
    });
  }
}
