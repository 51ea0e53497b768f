import { t } from '../../i18n';

/** Words for a code the server reports, in the reader's language; an unknown code as it is. */
function known(prefix: string, code: string): string {
  const key = `${prefix}${code}`;
  const words = t(key);
  return words === key ? code : words;
}

/**
 * Meta's meaning of a WhatsApp error code: in the reader's language when the editor knows the code,
 * else the server's (English) words, else nothing but the code.
 */
export function metaErrorMeaning(code: string, fromServer?: string | null): string {
  const words = known('analytics.meta.', code);
  return words !== code ? words : (fromServer ?? '');
}

/** Why a message was not sent: the 24-hour window, opt-out, a blocked region, a rate limit. */
export const refusalReason = (reason: string): string => known('analytics.reason.', reason);

/** Where a consent change came from: a keyword, the customer's WhatsApp settings, Meta's 131050. */
export const consentSource = (source: string): string => known('analytics.source.', source);
