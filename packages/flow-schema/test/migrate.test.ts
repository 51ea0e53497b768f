import { describe, expect, it } from 'vitest';
import { migrateFlow } from '../src/migrate.js';
import { validateFlow } from '../src/validate.js';
import { catalog } from './catalog-fixture.js';

const preview = {
  version: 0,
  id: 'old',
  name: 'Preview flow',
  timezone: 'Europe/Madrid',
  nodes: [
    { id: 't', type: 'trigger.manual', x: 10, y: 20 },
    { id: 'if', type: 'condition.if', x: 200, y: 20, config: {} },
  ],
  connections: [{ from: 't', to: 'if' }],
};

describe('migrateFlow', () => {
  it('upgrades a preview (version 0) document to a valid version 1 flow', () => {
    const migrated = migrateFlow(preview);
    expect(migrated).toMatchObject({ ok: true, from: 0, to: 1 });
    const result = validateFlow(preview, catalog);
    expect(result.problems).toEqual([]);
    expect(result.flow).toMatchObject({
      schemaVersion: 1,
      settings: { timezone: 'Europe/Madrid' },
      nodes: [{ id: 't', position: { x: 10, y: 20 }, params: {} }, { id: 'if' }],
      edges: [{ id: 'e1', source: 't', sourcePort: 'out', target: 'if', targetPort: 'in' }],
    });
  });

  it('leaves current documents untouched', () => {
    const doc = { schemaVersion: 1, id: 'x' };
    expect(migrateFlow(doc)).toEqual({ ok: true, document: doc, from: 1, to: 1 });
  });

  it('rejects a version that is not a whole number', () => {
    expect(migrateFlow({ schemaVersion: '1' })).toMatchObject({ ok: false, path: '$.schemaVersion' });
  });
});
