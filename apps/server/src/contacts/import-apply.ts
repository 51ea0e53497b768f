import type { Consent, Database } from '@switchboard/db';
import { CATEGORIES } from './columns.js';
import type { ImportRow } from './import-rows.js';

/** A consent decision of the file that was not applied, and why. */
export interface KeptConsent {
  row: number;
  column: string;
  message: string;
}

export interface ImportOutcome {
  created: number;
  updated: number;
  kept: KeptConsent[];
}

/** Thrown to roll a dry run's transaction back once its outcome is known. */
class DryRun extends Error {
  constructor(readonly outcome: ImportOutcome) {
    super('dry run');
  }
}

/**
 * Upserts checked rows in one transaction: all of them or, on any failure, none. A dry run does the
 * same work and rolls it back, so its counts are exactly what the import would do.
 *
 * Consent: a row's decision replaces the contact's only when it is newer (its time is later). So an
 * existing opt-out is cleared only by an opt-in with a later source and time, and an older opt-in in
 * the file is kept out (reported in `kept`).
 */
export async function applyImport(
  database: Database,
  rows: readonly ImportRow[],
  options: { now: string; dryRun: boolean },
): Promise<ImportOutcome> {
  try {
    return await database.transaction(async (tx) => {
      const outcome: ImportOutcome = { created: 0, updated: 0, kept: [] };
      for (const row of rows) {
        const existing = await tx.contacts.get(row.waId, row.channel);
        if (!existing)
          await tx.contacts.ensure({
            waId: row.waId,
            channel: row.channel,
            at: options.now,
            derive: () => ({ phone: row.phone, country: row.country }),
          });
        const current: Consent = existing?.consent ?? {};
        const consent: Consent = { ...current };
        for (const category of CATEGORIES) {
          const incoming = row.consent[category];
          const held = current[category];
          if (!incoming) continue;
          if (held && held.at >= incoming.at) {
            if (held.optedIn !== incoming.optedIn)
              outcome.kept.push({
                row: row.line,
                column: `${category}_consent`,
                message: `kept the contact’s ${held.optedIn ? 'opt-in' : 'opt-out'} of ${held.at} (${held.source}): the file’s is not newer`,
              });
            continue;
          }
          consent[category] = incoming;
        }
        await tx.contacts.patch(
          row.waId,
          {
            consent,
            ...(row.name !== undefined ? { name: row.name } : {}),
            ...(row.tags !== undefined ? { tags: row.tags } : {}),
            // Attributes merge: a key the file does not name keeps its value.
            ...(row.attributes !== undefined
              ? { attributes: { ...existing?.attributes, ...row.attributes } }
              : {}),
            ...(row.timezone !== undefined ? { timezone: row.timezone } : {}),
            ...(existing && row.country && !existing.country ? { country: row.country } : {}),
          },
          options.now,
          row.channel,
        );
        if (existing) outcome.updated++;
        else outcome.created++;
      }
      if (options.dryRun) throw new DryRun(outcome);
      return outcome;
    });
  } catch (error) {
    if (error instanceof DryRun) return error.outcome;
    throw error;
  }
}
