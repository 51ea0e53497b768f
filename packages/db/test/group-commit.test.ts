import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { GroupCommit } from '../src/group-commit.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function open() {
  const dir = mkdtempSync(join(tmpdir(), 'sb-group-'));
  dirs.push(dir);
  const file = join(dir, 'g.db');
  const writer = new Database(file);
  writer.pragma('journal_mode = WAL');
  writer.exec('create table t (id integer primary key, v text not null)');
  // Plain writes, as the run store queues them: a bad one writes its row, then throws.
  const insert = (id: number, v: string) => {
    writer.prepare('insert into t (id, v) values (?, ?)').run(id, v);
    if (v === 'bad') throw new Error(`row ${id} is bad`);
  };
  // Another connection sees a write only once it is committed.
  const reader = new Database(file, { readonly: true });
  return { writer, insert, rows: () => reader.prepare('select id, v from t order by id').all() };
}

describe('group commit', () => {
  it('commits the writes requested in one turn together, and each caller goes on only after the commit', async () => {
    const { writer, insert, rows } = open();
    const group = new GroupCommit(writer);
    const seenByOthers: number[] = [];
    const done = await Promise.all(
      [1, 2, 3, 4, 5].map((id) =>
        group
          .add(() => {
            insert(id, `v${id}`);
            seenByOthers.push(rows().length); // another connection sees nothing until the one commit
          })
          .then(() => rows().length),
      ),
    );
    expect(seenByOthers).toEqual([0, 0, 0, 0, 0]);
    expect(done).toEqual([5, 5, 5, 5, 5]);
  });

  it('rolls back and rejects only the write that failed, even one that wrote before throwing', async () => {
    const { writer, insert, rows } = open();
    const group = new GroupCommit(writer);
    const results = await Promise.allSettled([
      group.add(() => insert(1, 'ok')),
      group.add(() => insert(2, 'bad')),
      group.add(() => insert(3, 'ok')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('row 2 is bad');
    expect(rows()).toEqual([
      { id: 1, v: 'ok' },
      { id: 3, v: 'ok' },
    ]);
  });

  it('starts a new batch for writes requested after a flush', async () => {
    const { writer, insert, rows } = open();
    const group = new GroupCommit(writer);
    await group.add(() => insert(1, 'a'));
    let seen = -1;
    await group.add(() => {
      insert(2, 'b');
      seen = rows().length;
    });
    expect(seen).toBe(1);
  });
});

describe('GroupCommit.of', () => {
  it('gives every user of one connection the same group, so their writes share commits', () => {
    const { writer } = open();
    expect(GroupCommit.of(writer)).toBe(GroupCommit.of(writer));
    expect(GroupCommit.of(open().writer)).not.toBe(GroupCommit.of(writer));
  });
});
