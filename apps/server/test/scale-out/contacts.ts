import { inbound, metaBytes } from '../wa-helpers.js';
import { deliverUntilOk } from './deliver.js';

/** A contact's WhatsApp id (Spanish mobile numbers: no blocked country prefix). */
export const contactWaId = (contact: number) => `3461${String(7_000_000 + contact).padStart(7, '0')}`;

/** The text of a contact's n-th message; the echo flow answers `echo <text>`. */
export const messageText = (waId: string, n: number) => `${waId}#${n}`;

export const messageId = (waId: string, n: number) => `wamid.crash.${waId}.${n}`;

export interface ClientFigures {
  answered: number;
  /** Tries answered with something other than 200 (or not at all) and sent again. */
  failedTries: number;
}

/**
 * Customers writing through nginx: each contact sends its messages strictly one after another (the next
 * only once the previous was answered 200, re-sending the same signed body until then, as Meta does),
 * contacts in parallel. `onAnswered` sees the running total of events answered 200.
 */
export async function customersWrite(options: {
  url: string;
  appSecret: string;
  contacts: number;
  messagesEach: number;
  onAnswered?: (answered: number) => void;
}): Promise<ClientFigures> {
  const figures: ClientFigures = { answered: 0, failedTries: 0 };
  async function contact(c: number) {
    const waId = contactWaId(c);
    for (let n = 0; n < options.messagesEach; n++) {
      const body = metaBytes(
        inbound(
          waId,
          messageId(waId, n),
          new Date().toISOString(),
          { type: 'text', text: { body: messageText(waId, n) } },
          `Cliente ${c}`,
        ),
      );
      figures.failedTries += await deliverUntilOk(options.url, body, options.appSecret);
      figures.answered++;
      options.onAnswered?.(figures.answered);
    }
  }
  await Promise.all(Array.from({ length: options.contacts }, (_, c) => contact(c)));
  return figures;
}
