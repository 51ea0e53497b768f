import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { ChannelRef, NormalizedEvent } from './events.js';
import type { OptKeywords } from './keywords.js';
import { isoFromUnixSeconds } from './message-mappers.js';
import { WebhookMetadata } from './webhook-schema.js';

/** What every handler of one `entry[e].changes[c]` needs; `path` prefixes its problems. */
export interface Scope {
  events: NormalizedEvent[];
  problems: string[];
  wabaId: string | null;
  /** `entry[].time` (Unix seconds), when Meta sends it. */
  entryTime?: number | null;
  path: string;
  keywords: OptKeywords;
}

export function malformed(path: string, error: z.ZodError): string {
  const issues = error.issues.map((issue) =>
    issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message,
  );
  return `${path} is malformed (${issues.join('; ')})`;
}

/** Parses each item on its own, so a bad one is reported and the rest survive. Returns [item, path] pairs. */
export function parseEach<T>(
  scope: Scope,
  items: unknown[] | null | undefined,
  name: string,
  schema: z.ZodType<T>,
): Array<[T, string]> {
  const parsed: Array<[T, string]> = [];
  (items ?? []).forEach((item, i) => {
    const path = `${scope.path}.value.${name}[${i}]`;
    const result = schema.safeParse(item);
    if (result.success) parsed.push([result.data, path]);
    else scope.problems.push(malformed(path, result.error));
  });
  return parsed;
}

/** The channel of a change, or null (with a problem) when its metadata is missing or unusable. */
export function channelOf(scope: Scope, metadata: unknown): ChannelRef | null {
  const path = `${scope.path}.value.metadata`;
  const parsed = WebhookMetadata.safeParse(metadata);
  if (!parsed.success) {
    scope.problems.push(metadata == null ? `${path} is missing` : malformed(path, parsed.error));
    return null;
  }
  return {
    phoneNumberId: parsed.data.phone_number_id,
    displayPhoneNumber: parsed.data.display_phone_number ?? null,
  };
}

/** ISO time of an item; the current time (with a problem) when Meta's timestamp is missing or invalid. */
export function timeOf(scope: Scope, value: string | number | null | undefined, path: string): string {
  const iso = isoFromUnixSeconds(value);
  if (iso) return iso;
  scope.problems.push(`${path}.timestamp is missing or invalid; used the current time`);
  return new Date().toISOString();
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
