import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/connection.js';
import { ConversationRepository } from '../../src/conversation-repo.js';
import { pgDb } from '../../src/pg/connection.js';
import { PgConversationRepository } from '../../src/pg/conversation-repo.js';
import type * as pgRouting from '../../src/pg/tables/routing.js';
import { asyncOf } from '../../src/ports.js';
import type * as sqlite from '../../src/schema.js';
import { describeWithPostgres, migratedPool } from '../pg-harness.js';
import { conversationRepoContract } from './conversation-repo.contract.js';
import { conversationRepoPostgresContract } from './conversation-repo.pg-contract.js';

/** True when rows of the SQLite table and of its Postgres twin have the same TypeScript type. */
type SameRow<A extends { $inferSelect: unknown }, B extends { $inferSelect: unknown }> = [
  A['$inferSelect'],
] extends [B['$inferSelect']]
  ? [B['$inferSelect']] extends [A['$inferSelect']]
    ? true
    : false
  : false;

describe('routing tables', () => {
  it('have the same row types on both databases', () => {
    const same: Array<true> = [
      true satisfies SameRow<typeof sqlite.teams, typeof pgRouting.teams>,
      true satisfies SameRow<typeof sqlite.agents, typeof pgRouting.agents>,
      true satisfies SameRow<typeof sqlite.agentTeams, typeof pgRouting.agentTeams>,
      true satisfies SameRow<typeof sqlite.routingCursors, typeof pgRouting.routingCursors>,
      true satisfies SameRow<typeof sqlite.conversations, typeof pgRouting.conversations>,
      true satisfies SameRow<typeof sqlite.conversationEvents, typeof pgRouting.conversationEvents>,
      true satisfies SameRow<typeof sqlite.routingRequests, typeof pgRouting.routingRequests>,
    ];
    expect(same).toHaveLength(7);
  });
});

describe('SQLite', () => {
  conversationRepoContract(async () => asyncOf(new ConversationRepository(openDb({ path: ':memory:' }))));
});

describeWithPostgres('Postgres', () => {
  conversationRepoContract(async () => new PgConversationRepository(pgDb(await migratedPool())));
  conversationRepoPostgresContract(migratedPool);
});
