import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/connection.js';
import { migratePg, pgDb } from '../../src/pg/connection.js';
import { PgUserRepository } from '../../src/pg/user-repo.js';
import { asyncOf } from '../../src/ports.js';
import { UserRepository } from '../../src/user-repo.js';
import { describeWithPostgres, freshSchema, migratedPool, poolOn } from '../pg-harness.js';
import { newUser, T0, T1, T2, userRepoContract } from './user-repo.contract.js';

const LINK_AGENT =
  "insert into agents (id, name, created_at, updated_at, user_id) values ('ag1', 'Ana', $1, $1, 'u1')";

describe('SQLite', () => {
  userRepoContract(async () => asyncOf(new UserRepository(openDb({ path: ':memory:' }))));

  it('unlinks the agent of a removed user', async () => {
    const db = openDb({ path: ':memory:' });
    const repo = asyncOf(new UserRepository(db));
    await repo.createUser(newUser('u1', 'u1@example.com'), T0);
    db.$client.prepare(LINK_AGENT.replaceAll('$1', '?')).run(T0, T0);
    expect(await repo.agentIdOfUser('u1')).toBe('ag1');
    expect(await repo.deleteUser('u1')).toBe(true);
    expect(await repo.agentIdOfUser('u1')).toBeUndefined();
  });
});

describeWithPostgres('Postgres', () => {
  userRepoContract(async () => new PgUserRepository(pgDb(await migratedPool())));

  it('unlinks the agent of a removed user', async () => {
    const pool = await migratedPool();
    const repo = new PgUserRepository(pgDb(pool));
    await repo.createUser(newUser('u1', 'u1@example.com'), T0);
    await pool.query(LINK_AGENT, [T0]);
    expect(await repo.agentIdOfUser('u1')).toBe('ag1');
    expect(await repo.deleteUser('u1')).toBe(true);
    expect(await repo.agentIdOfUser('u1')).toBeUndefined();
  });
});

/** Two repositories on one schema through separate pools: two server processes. */
async function twoProcesses(): Promise<[PgUserRepository, PgUserRepository]> {
  const schema = await freshSchema();
  const a = poolOn(schema, 4);
  await migratePg(a);
  return [new PgUserRepository(pgDb(a)), new PgUserRepository(pgDb(poolOn(schema, 4)))];
}

describeWithPostgres('Postgres, two processes at once', () => {
  it('creates only the very first user', async () => {
    // Races are won or lost by timing: a few rounds make a missing lock show reliably.
    for (let round = 0; round < 3; round++) {
      const [a, b] = await twoProcesses();
      const attempts = Array.from({ length: 8 }, (_, i) =>
        (i % 2 ? a : b).createFirstUser(newUser(`o${i}`, `o${i}@example.com`, 'owner'), T0),
      );
      const created = (await Promise.all(attempts)).filter((u) => u !== undefined);
      expect(created).toHaveLength(1);
      expect(await a.countUsers()).toBe(1);
    }
  });

  it('does not let the first user slip in beside a concurrent sign-up', async () => {
    const [a, b] = await twoProcesses();
    const [first] = await Promise.all([
      a.createFirstUser(newUser('o1', 'o1@example.com', 'owner'), T0),
      b.createUser(newUser('u1', 'u1@example.com'), T0),
    ]);
    // Either order is fine; never two users where one was meant to be the very first.
    expect(await a.countUsers()).toBe(first ? 2 : 1);
    if (first) expect((await a.listUsers()).map((u) => u.id).sort()).toEqual(['o1', 'u1']);
  });

  it('keeps one owner when two owners are demoted or removed at once', async () => {
    type Race = (a: PgUserRepository, b: PgUserRepository) => Array<Promise<unknown>>;
    const races: Race[] = [
      (a, b) => [a.updateUser('o1', { role: 'admin' }, T1), b.updateUser('o2', { role: 'admin' }, T1)],
      (a, b) => [a.deleteUser('o1'), b.deleteUser('o2')],
      (a, b) => [a.updateUser('o1', { role: 'viewer' }, T1), b.deleteUser('o2')],
    ];
    for (const race of [...races, ...races, ...races]) {
      const [a, b] = await twoProcesses();
      await a.createUser(newUser('o1', 'o1@example.com', 'owner'), T0);
      await a.createUser(newUser('o2', 'o2@example.com', 'owner'), T0);
      const outcomes = await Promise.all(race(a, b));
      expect(outcomes.filter((o) => o === 'last_owner')).toHaveLength(1);
      expect(await a.countOwners()).toBe(1);
    }
  });

  it('accepts one invitation once when two people use the link at once', async () => {
    const [a, b] = await twoProcesses();
    await a.createInvitation({ id: 'i1', tokenHash: 'h1', role: 'agent', expiresAt: T2 }, T0);
    const outcomes = await Promise.all([
      a.acceptInvitation('h1', { id: 'u1', email: 'u1@example.com', name: 'U1', passwordHash: 'x' }, T1),
      b.acceptInvitation('h1', { id: 'u2', email: 'u2@example.com', name: 'U2', passwordHash: 'x' }, T1),
    ]);
    expect(outcomes.filter((o) => o === 'gone')).toHaveLength(1);
    expect(await a.countUsers()).toBe(1);
  });

  it('leaves no session behind for a user removed while signing in', async () => {
    const [a, b] = await twoProcesses();
    for (let round = 0; round < 5; round++) {
      await a.createUser(newUser('u1', 'u1@example.com'), T0);
      await Promise.allSettled([
        a.createSession({ id: `s${round}`, userId: 'u1', csrfToken: 'c', expiresAt: T2 }, T0),
        b.deleteUser('u1'),
      ]);
      expect(await a.getUser('u1')).toBeUndefined();
      expect(await a.listUserSessions('u1')).toEqual([]);
    }
  });
});
