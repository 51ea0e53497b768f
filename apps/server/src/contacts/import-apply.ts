import type { Consent, Database, ImportedContact } from '@switchboard/db';
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

/** Rows read and written per statement. */
const BATCH = 500;

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
      // A batch is one read and one upsert (a file's numbers are unique per channel: readImport checks).
      for (let i = 0; i < rows.length; i += BATCH) {
        const batch = rows.slice(i, i + BATCH);
        const found = await tx.contactImport.getMany(batch.map((r) => r.waId));
        const byKey = new Map(found.map((c) => [`${c.channel}/${c.waId}`, c]));
        const writes: ImportedContact[] = batch.map((row) => {
          const existing = byKey.get(`${row.channel}/${row.waId}`);
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
          if (existing) outcome.updated++;
          else outcome.created++;
          return {
            id: existing?.id ?? crypto.randomUUID(),
            channel: row.channel,
            waId: row.waId,
            phone: existing?.phone ?? row.phone,
            name: row.name ?? existing?.name ?? null,
            country: existing?.country ?? row.country,
            consent,
            // Attributes merge: a key the file does not name keeps its value.
            attributes: { ...existing?.attributes, ...row.attributes },
            tags: row.tags ?? existing?.tags ?? [],
            timezone: row.timezone ?? existing?.timezone ?? null,
          };
        });
        await tx.contactImport.upsertMany(writes, options.now);
      }
      if (options.dryRun) throw new DryRun(outcome);
      return outcome;
    });
  } catch (error) {
    if (error instanceof DryRun) return error.outcome;
    throw error;
  }
}
