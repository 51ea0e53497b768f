import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AuditRepository, closeDb, openDb } from '@switchboard/db';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, tempDir } from './process-helpers.js';

const examples = fileURLToPath(new URL('../../../workflows/', import.meta.url));
const hello = join(examples, 'hello-world.workflow.json');
const order = join(examples, 'order-follow-up.workflow.json');
const dir = tempDir('sb-cli-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, value: unknown) => {
  const file = join(dir, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
};

describe('switchboard CLI', () => {
  it('validate: exit 0 for a valid flow, 1 with every problem by path for an invalid one', () => {
    expect(cli(['validate', hello])).toMatchObject({ code: 0, stdout: expect.stringContaining('valid') });
    const bad = write('bad.json', {
      schemaVersion: 1,
      id: 'x',
      name: 'x',
      nodes: [{ id: 'a', type: 'nope', position: { x: 0, y: 0 } }],
      edges: [{ id: 'e', source: 'a', target: 'b' }],
    });
    const r = cli(['validate', bad]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('error $.nodes[0].type: unknown node type "nope"');
    expect(r.stdout).toContain('error $.edges[0].target:');
    const json = JSON.parse(cli(['validate', bad, '--json']).stdout);
    expect(json.ok).toBe(false);
  });

  it('exit 2 for usage errors: unknown command, missing or unreadable file, invalid JSON', () => {
    expect(cli(['frobnicate']).code).toBe(2);
    expect(cli(['validate']).code).toBe(2);
    expect(cli(['validate', join(dir, 'missing.json')])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('ENOENT'),
    });
    expect(cli(['validate', write('broken.json', '{ nope')])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('not valid JSON'),
    });
  });

  it('import then export round-trips through the data dir; unknown ids exit 3', () => {
    const env = { SWITCHBOARD_DATA_DIR: join(dir, 'data') };
    expect(cli(['import', hello, '--activate'], env)).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('hello-world: imported (version 1, active)'),
    });
    expect(cli(['import', hello], env).stdout).toContain('hello-world: unchanged (version 1)');
    const exported = cli(['export', 'hello-world'], env);
    expect(exported.code).toBe(0);
    const reimport = write('exported.json', exported.stdout);
    expect(cli(['import', reimport], env).stdout).toContain('unchanged (version 1)');
    expect(cli(['export', 'nope'], env).code).toBe(3);
    expect(cli(['export', 'hello-world', '--version', '9'], env).code).toBe(3);
  });

  it('run: prints the step trace, fast-forwarding delays', () => {
    const event = write('order.json', { orderId: 'Z-9', language: 'es', total: 300 });
    const r = cli(['run', order, '--event', event]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.at(-1)).toBe('run succeeded');
    expect(lines.slice(0, -1).map((l) => l.split(/\s+/)[2])).toEqual([
      'order',
      'language',
      'confirm-es',
      'confirmed',
      'next-day',
      'next-day',
      'big-order',
      'thank-you-call',
    ]);
    expect(r.stdout).toMatch(/#6 \+24\.0h\s+next-day \[flow\.delay\] succeeded → out/);
    const json = JSON.parse(cli(['run', order, '--event', event, '--json']).stdout);
    expect(json.status).toBe('succeeded');
    expect(json.steps).toHaveLength(8);
  });

  it('run: exit 1 when the run fails, naming the node', () => {
    const failing = write('failing.json', {
      schemaVersion: 1,
      id: 'failing',
      name: 'failing',
      nodes: [
        { id: 't', type: 'trigger.manual', position: { x: 0, y: 0 } },
        {
          id: 'wait',
          type: 'flow.delay',
          position: { x: 0, y: 0 },
          params: { amount: '{{ trigger.minutes }}' },
        },
      ],
      edges: [{ id: 'e', source: 't', target: 'wait' }],
    });
    const r = cli(['run', failing, '--event', write('ev.json', { minutes: 'soon' })]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/run failed: node "wait" failed: invalid params: amount/);
  });

  it('import is in the audit log, by the CLI as the system', () => {
    const dataDir = join(dir, 'audited');
    expect(cli(['import', hello, '--activate'], { SWITCHBOARD_DATA_DIR: dataDir }).code).toBe(0);
    expect(cli(['import', hello], { SWITCHBOARD_DATA_DIR: dataDir }).stdout).toContain('unchanged');
    const db = openDb({ path: join(dataDir, 'switchboard.db') });
    try {
      const { items } = new AuditRepository(db).list();
      expect(items.map((e) => [e.action, e.actorKind, e.actorLabel, e.targetId])).toEqual([
        ['flow.activated', 'system', 'cli (import)', 'hello-world'],
        ['flow.imported', 'system', 'cli (import)', 'hello-world'],
      ]);
    } finally {
      closeDb(db);
    }
  });

  it('exit 4 with a message for bad configuration', () => {
    const r = cli(['export', 'x'], { SWITCHBOARD_SQLITE_SYNCHRONOUS: 'sometimes' });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('SWITCHBOARD_SQLITE_SYNCHRONOUS="sometimes"');
  });
});
