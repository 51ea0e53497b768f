import { describe } from 'vitest';
import { openDb } from '../../src/connection.js';
import { ContactImportRepository } from '../../src/contact-import-repo.js';
import { ContactRepository } from '../../src/contact-repo.js';
import { pgDb } from '../../src/pg/connection.js';
import { PgContactImportRepository } from '../../src/pg/contact-import-repo.js';
import { PgContactRepository } from '../../src/pg/contact-repo.js';
import { asyncOf } from '../../src/ports.js';
import { describeWithPostgres, migratedPool } from '../pg-harness.js';
import { contactImportRepoContract } from './contact-import-repo.contract.js';

describe('SQLite', () =>
  contactImportRepoContract(async () => {
    const db = openDb({ path: ':memory:' });
    return {
      imports: asyncOf(new ContactImportRepository(db)),
      contacts: asyncOf(new ContactRepository(db)),
    };
  }));

describeWithPostgres('Postgres', () =>
  contactImportRepoContract(async () => {
    const db = pgDb(await migratedPool());
    return { imports: new PgContactImportRepository(db), contacts: new PgContactRepository(db) };
  }),
);
