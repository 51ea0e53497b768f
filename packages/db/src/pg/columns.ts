import { customType } from 'drizzle-orm/pg-core';

/**
 * A `timestamptz(3)` column read and written as the ISO-8601 UTC strings the SQLite repositories use
 * (`2026-03-01T10:00:00.000Z`), so a repository's callers see the same values on both databases while
 * Postgres compares instants, not text. Sessions run in UTC (`openPgPool`).
 */
export const isoTime = customType<{ data: string; driverData: Date | string }>({
  dataType: () => 'timestamp(3) with time zone',
  toDriver: (value) => value,
  fromDriver: (value) => (value instanceof Date ? value : new Date(value)).toISOString(),
});

/** Text compared byte by byte (`collate "C"`), as SQLite compares text. */
export const textC = customType<{ data: string }>({ dataType: () => 'text collate "C"' });
