import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../src/contacts/csv.js';
import { guardCell, unguardCell } from '../src/contacts/formula-guard.js';
import { type Loose, startWhatsAppServer } from './wa-helpers.js';

type Server = Awaited<ReturnType<typeof startWhatsAppServer>>;
let s: Server;
beforeAll(async () => {
  s = await startWhatsAppServer();
});
afterAll(() => s.close());

const HEADER =
  'phone,name,country,channel,tags,attributes,timezone,all_consent,all_source,all_at,marketing_consent,marketing_source,marketing_at,utility_consent,utility_source,utility_at,last_interaction_at';
const T1 = '2026-01-10T09:00:00.000Z';
const T2 = '2026-01-20T09:00:00.000Z';
const T3 = '2026-02-01T09:00:00.000Z';

/** A CSV row in HEADER order, from the fields given (the rest empty). */
function row(fields: Record<string, string>): string {
  return HEADER.split(',')
    .map((c) => {
      const v = fields[c] ?? '';
      return /[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
    })
    .join(',');
}
const csv = (...rows: string[]) => `${[HEADER, ...rows].join('\r\n')}\r\n`;

const importCsv = (srv: Server, body: string, dryRun = false) =>
  srv.api(`/api/contacts/import${dryRun ? '?dryRun=true' : ''}`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'text/csv' },
  });
const contact = async (waId: string, srv: Server = s): Promise<Loose> =>
  (await srv.api(`/api/contacts/${waId}`)).body;
const exportCsv = async (srv: Server, query = '') => {
  const res = await fetch(`${srv.base}/api/contacts/export.csv${query}`, {
    headers: { authorization: `Bearer ${'wa-test-key-0123456789'}` },
  });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
};
const contactCount = async (srv: Server = s) => (await exportCsv(srv)).text.trim().split('\r\n').length - 1;

describe('contacts CSV import', () => {
  it('lists every problem by row and column, and imports nothing when any row is bad', async () => {
    const before = await contactCount();
    const res = await importCsv(
      s,
      csv(
        row({ phone: '+34600100001', name: 'Good one', tags: 'vip;es' }),
        row({ phone: '12ab', country: 'ES' }),
        row({ phone: '+34600100003', country: 'MX' }),
        row({ phone: '+34600100004', marketing_consent: 'opted_in' }),
        row({ phone: '+34600100005', marketing_consent: 'maybe', utility_source: 'form' }),
        row({
          phone: '+34600100006',
          attributes: '[1,2]',
          timezone: 'Mars/Base',
          all_consent: 'opted_in',
          all_source: 'web',
          all_at: 'yesterday',
        }),
        row({ phone: '34600100001', channel: 'simulator' }),
        row({ phone: '34600100001' }),
        '+34600100009,too,few',
        row({
          phone: '+34600100010',
          marketing_consent: 'opted_in',
          marketing_source: 'web',
          marketing_at: '2099-01-01T00:00:00Z',
        }),
      ),
    );
    expect(res.status).toBe(422);
    expect(res.body.error).toBe('invalid_csv');
    expect(res.body.message).toBe('13 problem(s) in 9 row(s); nothing was imported');
    expect(res.body.problems.map((p: Loose) => [p.row, p.column])).toEqual([
      [3, 'phone'],
      [4, 'country'],
      [5, 'marketing_source'],
      [5, 'marketing_at'],
      [6, 'marketing_consent'],
      [6, 'utility_consent'],
      [7, 'attributes'],
      [7, 'timezone'],
      [7, 'all_at'],
      [8, 'channel'],
      [9, 'phone'],
      [10, '*'],
      [11, 'marketing_at'],
    ]);
    expect(res.body.problems[1].message).toBe('the number +34600100003 is from ES, not MX');
    expect(res.body.problems[2].message).toBe('an opt-in needs its source (where the contact agreed)');
    expect(res.body.problems[10].message).toBe('+34600100001 is already on row 2');
    expect(res.body.problems[0].path).toBe('$.rows[3].phone');
    // The good first row was not written either.
    expect((await s.api('/api/contacts/34600100001')).status).toBe(404);
    expect(await contactCount()).toBe(before);
  });

  it('refuses a file whose header is wrong, naming the column', async () => {
    const res = await importCsv(s, 'phone,nickname\n+34600100001,x\n');
    expect(res.status).toBe(422);
    expect(res.body.problems).toEqual([
      expect.objectContaining({
        row: 1,
        column: 'nickname',
        message: expect.stringContaining('unknown column "nickname"'),
      }),
    ]);
    expect((await importCsv(s, '')).body.problems[0].message).toContain('the file is empty');
    const json = await s.api('/api/contacts/import', { method: 'POST', json: { phone: '+34600100001' } });
    expect(json.status).toBe(415);
  });

  it('a dry run counts and writes nothing; the import then creates, and a second one updates', async () => {
    const file = csv(
      row({
        phone: '+34 600 200 001',
        name: 'Ana',
        tags: 'vip; es',
        attributes: '{"plan":"gold","age":40}',
        marketing_consent: 'opted_in',
        marketing_source: 'web form',
        marketing_at: T1,
      }),
      row({ phone: '5215500200002', name: 'Beto', country: 'mx', timezone: 'America/Mexico_City' }),
    );
    const dry = await importCsv(s, file, true);
    expect(dry.status).toBe(200);
    expect(dry.body).toEqual({ dryRun: true, rows: 2, created: 2, updated: 0, kept: [] });
    expect((await s.api('/api/contacts/34600200001')).status).toBe(404);

    const done = await importCsv(s, file);
    expect(done.body).toEqual({ dryRun: false, rows: 2, created: 2, updated: 0, kept: [] });
    expect(await contact('34600200001')).toMatchObject({
      phone: '+34600200001',
      country: 'ES',
      name: 'Ana',
      tags: ['vip', 'es'],
      attributes: { plan: 'gold', age: 40 },
      consent: { marketing: { optedIn: true, source: 'web form', at: T1 } },
      lastInboundAt: null,
    });
    expect(await contact('5215500200002')).toMatchObject({ country: 'MX', timezone: 'America/Mexico_City' });

    // Empty cells keep what the contact has; attributes merge.
    const again = await importCsv(s, csv(row({ phone: '34600200001', attributes: '{"age":41}' })));
    expect(again.body).toMatchObject({ created: 0, updated: 1 });
    expect(await contact('34600200001')).toMatchObject({
      name: 'Ana',
      tags: ['vip', 'es'],
      attributes: { plan: 'gold', age: 41 },
      consent: { marketing: { optedIn: true, at: T1 } },
    });

    const audit = (await s.api('/api/audit?action=contacts.imported')).body.items;
    expect(audit.map((e: Loose) => e.data)).toEqual([
      { rows: 1, created: 0, updated: 1, consentKept: 0 },
      { rows: 2, created: 2, updated: 0, consentKept: 0 },
    ]);
  });

  it('never clears an opt-out with an older opt-in; a newer opt-in with its source and time does', async () => {
    const waId = '34600300001';
    await importCsv(
      s,
      csv(
        row({
          phone: waId,
          marketing_consent: 'opted_out',
          marketing_source: 'STOP reply',
          marketing_at: T2,
        }),
      ),
    );
    expect((await contact(waId)).consent.marketing).toEqual({ optedIn: false, source: 'STOP reply', at: T2 });

    const older = await importCsv(
      s,
      csv(
        row({
          phone: waId,
          name: 'Old list',
          marketing_consent: 'opted_in',
          marketing_source: 'old list',
          marketing_at: T1,
        }),
      ),
    );
    expect(older.status).toBe(200);
    expect(older.body.kept).toEqual([
      {
        row: 2,
        column: 'marketing_consent',
        message: `kept the contact’s opt-out of ${T2} (STOP reply): the file’s is not newer`,
      },
    ]);
    const kept = await contact(waId);
    expect(kept.consent.marketing).toEqual({ optedIn: false, source: 'STOP reply', at: T2 });
    expect(kept.name).toBe('Old list');

    const newer = await importCsv(
      s,
      csv(
        row({
          phone: waId,
          marketing_consent: 'opted_in',
          marketing_source: 'shop signup',
          marketing_at: T3,
        }),
      ),
    );
    expect(newer.body.kept).toEqual([]);
    expect((await contact(waId)).consent.marketing).toEqual({ optedIn: true, source: 'shop signup', at: T3 });

    // An opt-out without a time counts from the import: it wins over the opt-in.
    await importCsv(s, csv(row({ phone: waId, all_consent: 'opted_out' })));
    expect((await contact(waId)).consent.all).toMatchObject({ optedIn: false, source: 'import' });
  });
});

describe('segments and export', () => {
  it('saves segments with unique names, previews their count and exports their contacts', async () => {
    await importCsv(
      s,
      csv(
        row({
          phone: '34611400001',
          tags: 'seg-test;vip',
          attributes: '{"score":90}',
          marketing_consent: 'opted_in',
          marketing_source: 'web',
          marketing_at: T1,
        }),
        row({
          phone: '34611400002',
          tags: 'seg-test',
          attributes: '{"score":20}',
          marketing_consent: 'opted_in',
          marketing_source: 'web',
          marketing_at: T1,
        }),
        row({ phone: '34611400003', tags: 'seg-test;vip', attributes: '{"score":95}' }),
        row({
          phone: '34611400004',
          tags: 'seg-test;vip',
          attributes: '{"score":99}',
          all_consent: 'opted_out',
          all_source: 'STOP',
          all_at: T1,
        }),
      ),
    );
    const filter = {
      tags: { all: ['seg-test'] },
      attributes: [{ key: 'score', op: 'gte', value: 50 }],
      optedIn: 'marketing',
    };
    const created = await s.api('/api/segments', { method: 'POST', json: { name: 'Engaged UK', filter } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Engaged UK', description: '', filter });
    const id = created.body.id;

    const preview = (await s.api(`/api/segments/${id}/preview`)).body;
    expect(preview.count).toBe(1);
    expect(preview.items.map((c: Loose) => c.waId)).toEqual(['34611400001']);
    const wider = await s.api('/api/segments/preview', {
      method: 'POST',
      json: { filter: { tags: { all: ['seg-test', 'vip'] } } },
    });
    expect(wider.body.count).toBe(3);

    const dup = await s.api('/api/segments', { method: 'POST', json: { name: 'Engaged UK', filter: {} } });
    expect(dup.status).toBe(409);
    const bad = await s.api('/api/segments', {
      method: 'POST',
      json: {
        name: 'Bad',
        filter: {
          tags: { every: ['x'] },
          attributes: [{ key: 'a.b', op: 'gt', value: 'ten' }],
          optedIn: 'promo',
        },
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.problems.map((p: Loose) => p.path).sort()).toEqual([
      '$.body.filter.attributes.0.key',
      '$.body.filter.attributes.0.value',
      '$.body.filter.optedIn',
      '$.body.filter.tags',
    ]);

    const changed = await s.api(`/api/segments/${id}`, {
      method: 'PATCH',
      json: { filter: { ...filter, optedIn: undefined } },
    });
    expect(changed.status).toBe(200);
    expect((await s.api(`/api/segments/${id}/preview?limit=0`)).body).toEqual({ count: 3, items: [] });

    const file = await exportCsv(s, `?segment=${id}`);
    expect(file.status).toBe(200);
    expect(file.type).toBe('text/csv; charset=utf-8');
    const lines = file.text.trim().split('\r\n');
    expect(lines[0]).toBe(HEADER);
    expect(
      lines
        .slice(1)
        .map((l) => l.split(',')[0])
        .sort(),
    ).toEqual(['+34611400001', '+34611400003', '+34611400004']);
    const filtered = await exportCsv(
      s,
      `?filter=${encodeURIComponent(JSON.stringify({ tags: { all: ['seg-test'], none: ['vip'] }, country: { in: ['ES'] } }))}`,
    );
    expect(
      filtered.text
        .trim()
        .split('\r\n')
        .slice(1)
        .map((l) => l.split(',')[0]),
    ).toEqual(['+34611400002']);
    expect((await exportCsv(s, '?filter=%7Bnope')).status).toBe(400);

    expect((await s.api(`/api/segments/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await s.api(`/api/segments/${id}/preview`)).status).toBe(404);
    expect((await s.api('/api/audit?action=contacts.exported')).body.items[0].data).toMatchObject({
      contacts: 1,
      filtered: true,
    });
  });

  it('exports contacts that import into another server as the same contacts, over several pages', async () => {
    const rows = Array.from({ length: 2500 }, (_, i) => {
      const n = String(i).padStart(5, '0');
      return row({
        phone: `+346009${n}`,
        name: i % 7 === 0 ? `Name, "quoted" ${n}` : `Name ${n}`,
        tags: i % 3 === 0 ? 'bulk;three' : 'bulk',
        attributes: JSON.stringify({ n: i, even: i % 2 === 0, note: 'a,b "c"\nnext line' }),
        ...(i % 5 === 0
          ? { marketing_consent: 'opted_in', marketing_source: 'import test', marketing_at: T1 }
          : {}),
        ...(i % 11 === 0 ? { utility_consent: 'opted_out', utility_source: 'STOP', utility_at: T2 } : {}),
      });
    });
    const filter = encodeURIComponent(JSON.stringify({ tags: { all: ['bulk'] } }));
    expect((await importCsv(s, csv(...rows))).body).toMatchObject({ created: 2500, updated: 0 });
    const first = await exportCsv(s, `?filter=${filter}`);
    expect(first.text.trim().split('\r\n')).toHaveLength(2501);

    const other = await startWhatsAppServer();
    try {
      expect((await importCsv(other, first.text)).body).toMatchObject({
        created: 2500,
        updated: 0,
        kept: [],
      });
      const second = await exportCsv(other, `?filter=${filter}`);
      // Same contacts, row for row (contacts are listed by id, which differs between servers).
      const sorted = (text: string) =>
        text
          .trim()
          .split(/\r\n(?=\+)/)
          .slice(1)
          .sort();
      expect(sorted(second.text)).toEqual(sorted(first.text));
      for (const waId of ['34600900000', '34600900055', '34600902499'])
        expect(stripIds(await contact(waId, other))).toEqual(stripIds(await contact(waId)));
    } finally {
      await other.close();
    }
  });
});

describe('formula injection', () => {
  it('guards every cell a spreadsheet would run, and the import takes the guard off', () => {
    for (const [value, written] of [
      ['=1+1', "'=1+1"],
      ['+cmd', "'+cmd"],
      ['-2', "'-2"],
      ['@SUM(A1)', "'@SUM(A1)"],
      ['\tx', "'\tx"],
      ['\rx', "'\rx"],
      // Already quoted by hand: one more quote, so the import gives back the quote typed.
      ["'=x", "''=x"],
      // Harmless cells stay as they are, a quote before anything else too.
      ["'plain", "'plain"],
      ['Ana', 'Ana'],
      ['a=b', 'a=b'],
      ['{"a":-1}', '{"a":-1}'],
      ['', ''],
    ]) {
      expect(guardCell(value!)).toBe(written);
      expect(unguardCell(written!)).toBe(value);
    }
  });

  it('exports names, tags and sources as text, phone numbers as E.164, and imports them back the same', async () => {
    const names = [
      '=HYPERLINK("http://evil.example","click")',
      "+cmd|' /C calc'!A0",
      '-2+3',
      '@SUM(1,1)',
      "'=typed with its quote",
      "'ok",
    ];
    const file = csv(
      ...names.map((name, i) =>
        row({
          phone: `+3460070000${i}`,
          // The last row's number comes guarded, as a file that went through the export would have it.
          ...(i === names.length - 1 ? { phone: `'+3460070000${i}` } : {}),
          // A name given as `'=…` in a file is the guarded `=…`: to store the quote, the file doubles it.
          name: name.startsWith("'=") ? `'${name}` : name,
          tags: i === 0 ? '-minus;formula-test' : 'formula-test',
          attributes: '{"note":"=1+1"}',
          marketing_consent: 'opted_in',
          marketing_source: '=form',
          marketing_at: T1,
        }),
      ),
    );
    expect((await importCsv(s, file)).body).toMatchObject({ created: names.length });
    expect((await contact('34600700000')).tags).toEqual(['-minus', 'formula-test']);
    expect((await contact('34600700004')).name).toBe("'=typed with its quote");
    expect((await contact('34600700005')).name).toBe("'ok");

    const filter = encodeURIComponent(JSON.stringify({ tags: { all: ['formula-test'] } }));
    const exported = await exportCsv(s, `?filter=${filter}`);
    const [header, ...unordered] = parseCsv(exported.text).records.map((r) => r.fields);
    // Contacts are listed by id; the rows are compared in the order of their numbers.
    const records = unordered.sort((a, b) => a[0]!.localeCompare(b[0]!));
    const column = (name: string) => records.map((f) => f[header!.indexOf(name)]);
    expect(column('phone')).toEqual(names.map((_, i) => `+3460070000${i}`));
    expect(column('name')).toEqual([
      '\'=HYPERLINK("http://evil.example","click")',
      "'+cmd|' /C calc'!A0",
      "'-2+3",
      "'@SUM(1,1)",
      "''=typed with its quote",
      "'ok",
    ]);
    expect(column('tags')[0]).toBe("'-minus;formula-test");
    expect(new Set(column('marketing_source'))).toEqual(new Set(["'=form"]));
    expect(new Set(column('attributes'))).toEqual(new Set(['{"note":"=1+1"}']));
    // No cell of the file starts the way a spreadsheet would run, but the E.164 numbers.
    for (const f of records.flat()) expect(/^[=+\-@\t\r]/.test(f) && !/^\+\d+$/.test(f)).toBe(false);

    const other = await startWhatsAppServer();
    try {
      expect((await importCsv(other, exported.text)).body).toMatchObject({ created: names.length, kept: [] });
      for (let i = 0; i < names.length; i++) {
        const again = await contact(`3460070000${i}`, other);
        expect(again.name).toBe(names[i]);
        expect(stripIds(again)).toEqual(stripIds(await contact(`3460070000${i}`)));
      }
      const lines = (text: string) => text.split('\r\n').sort();
      expect(lines((await exportCsv(other, `?filter=${filter}`)).text)).toEqual(lines(exported.text));
    } finally {
      await other.close();
    }
  });
});

/** A contact without what differs between two servers: its id and its own timestamps. */
function stripIds(c: Loose) {
  const { id: _id, createdAt: _c, updatedAt: _u, ...rest } = c;
  return rest;
}
