import { parsePhoneNumberFromString } from 'libphonenumber-js';

/** Consent as we record it: per category, the latest decision, where it came from and when. */
export type ConsentCategory = 'all' | 'marketing' | 'utility';
export interface ConsentRecord {
  optedIn: boolean;
  source: string;
  at: string;
}
export type Consent = Partial<Record<ConsentCategory, ConsentRecord>>;

export interface PolicyContact {
  waId: string;
  /** Time of the contact's last inbound message: it opens the 24-hour customer-service window. */
  lastInboundAt: string | null;
  consent: Consent;
}

/** What kind of send is being checked (only what policy needs to know). */
export interface PolicyMessage {
  type: 'text' | 'buttons' | 'list' | 'template' | 'media' | 'reaction' | 'markRead';
  /** Template category, when `type` is `template`. */
  category?: 'marketing' | 'utility' | 'authentication' | undefined;
}

export type RefusalReason = 'blocked_region' | 'outside_24h_window' | 'opted_out' | 'not_opted_in';
export interface PolicyRefusal {
  reason: RefusalReason;
  message: string;
}

/**
 * Calling codes of regions whose users may not be messaged through the WhatsApp Business Platform:
 * Cuba, Iran, North Korea, Syria. Crimea, Donetsk and Luhansk share Ukraine's (and Russia's) codes and
 * cannot be told apart by prefix; add ranges to the configuration if a business knows them.
 */
export const DEFAULT_BLOCKED_PREFIXES = ['53', '98', '850', '963'] as const;

export const WINDOW_MS = 24 * 60 * 60 * 1000;

/** True while the 24-hour customer-service window opened by the contact's last message is open. */
export function windowOpen(lastInboundAt: string | null, now: Date): boolean {
  if (!lastInboundAt) return false;
  return now.getTime() - new Date(lastInboundAt).getTime() < WINDOW_MS;
}

/** ISO country of a WhatsApp id (phone digits), or null when it cannot be told. */
export function countryOf(waId: string): string | null {
  return parsePhoneNumberFromString(`+${waId.replace(/\D/g, '')}`)?.country ?? null;
}

export function blockedPrefix(waId: string, prefixes: readonly string[]): string | null {
  const digits = waId.replace(/\D/g, '');
  return prefixes.find((p) => digits.startsWith(p)) ?? null;
}

/**
 * The WhatsApp policy rules every send passes, whoever built the flow: blocked regions, the 24-hour
 * window for anything but templates, and consent (opt-out always wins, of all templates or of the
 * template's category; marketing needs an opt-in).
 * Returns null when the send may go.
 */
export function checkSendPolicy(args: {
  contact: PolicyContact;
  message: PolicyMessage;
  now: Date;
  blockedPrefixes?: readonly string[];
}): PolicyRefusal | null {
  const { contact, message, now } = args;
  if (message.type === 'markRead') return null;
  const prefix = blockedPrefix(contact.waId, args.blockedPrefixes ?? DEFAULT_BLOCKED_PREFIXES);
  if (prefix) {
    return {
      reason: 'blocked_region',
      message: `+${prefix} numbers cannot receive messages from the WhatsApp Business Platform`,
    };
  }
  const all = contact.consent.all;
  const marketing = contact.consent.marketing;
  if (message.type === 'template') {
    if (all && !all.optedIn) {
      return {
        reason: 'opted_out',
        message: `the contact opted out (${all.source}, ${all.at}); templates are not sent`,
      };
    }
    const utility = contact.consent.utility;
    if (message.category === 'utility' && utility && !utility.optedIn) {
      return {
        reason: 'opted_out',
        message: `the contact stopped utility messages (${utility.source}, ${utility.at})`,
      };
    }
    if (message.category === 'marketing') {
      if (marketing && !marketing.optedIn) {
        return {
          reason: 'opted_out',
          message: `the contact stopped marketing messages (${marketing.source}, ${marketing.at})`,
        };
      }
      if (!marketing?.optedIn && !all?.optedIn) {
        return {
          reason: 'not_opted_in',
          message: 'marketing templates need the contact’s opt-in, and there is none',
        };
      }
    }
    return null;
  }
  if (!windowOpen(contact.lastInboundAt, now)) {
    const since = contact.lastInboundAt
      ? `last message ${contact.lastInboundAt}`
      : 'no message from the contact yet';
    return {
      reason: 'outside_24h_window',
      message: `free-form messages need the contact to have written in the last 24 hours (${since}); send an approved template instead`,
    };
  }
  return null;
}
