import { describe } from 'vitest';
import { openDb } from '../../src/connection.js';
import { ContactRepository } from '../../src/contact-repo.js';
import { pgDb } from '../../src/pg/connection.js';
import { PgContactRepository } from '../../src/pg/contact-repo.js';
import { PgSegmentRepository } from '../../src/pg/segment-repo.js';
import { asyncOf } from '../../src/ports.js';
import { SegmentRepository } from '../../src/segment-repo.js';
import { describeWithPostgres, migratedPool } from '../pg-harness.js';
import { segmentRepoContract } from './segment-repo.contract.js';

/** Contact ids c01, c02… in creation order. */
const ids = () => {
  let n = 0;
  return () => `c${String(++n).padStart(2, '0')}`;
};

describe('SQLite', () =>
  segmentRepoContract(async () => {
    const db = openDb({ path: ':memory:' });
    return {
      segments: asyncOf(new SegmentRepository(db, 'simulator')),
      contacts: asyncOf(new ContactRepository(db, ids())),
    };
  }));

describeWithPostgres('Postgres', () =>
  segmentRepoContract(async () => {
    const db = pgDb(await migratedPool());
    return {
      segments: new PgSegmentRepository(db, 'simulator'),
      contacts: new PgContactRepository(db, ids()),
    };
  }),
);
