import { describe } from 'vitest';
import { openDb } from '../../src/connection.js';
import { pgDb } from '../../src/pg/connection.js';
import { PgTemplateRepository } from '../../src/pg/template-repo.js';
import { asyncOf } from '../../src/ports.js';
import { TemplateRepository } from '../../src/template-repo.js';
import { describeWithPostgres, migratedPool } from '../pg-harness.js';
import { templateRepoContract } from './template-repo.contract.js';

describe('SQLite', () =>
  templateRepoContract(async () => asyncOf(new TemplateRepository(openDb({ path: ':memory:' })))));

describeWithPostgres('Postgres', () =>
  templateRepoContract(async () => new PgTemplateRepository(pgDb(await migratedPool()))),
);
