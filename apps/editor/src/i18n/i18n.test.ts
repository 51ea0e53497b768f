/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';

/**
 * The guard on the UI's words: every string exists in English and Spanish, and every `t('key')` in the
 * editor's sources names a string that exists. A missing key would show up as `flows.neww` on screen,
 * and only in the language nobody on the team tested with.
 *
 * Vite's `import.meta.glob` reads the files (the area modules are plain objects; the sources are read as
 * text and never run), so this needs no Node types in the editor's type check.
 */

type Dict = Record<string, string>;
interface Area {
  /** `app.ts: appStrings`, for messages. */
  where: string;
  exportName: string;
  en: Dict;
  es: Dict;
}

const areaModules = import.meta.glob<Record<string, unknown>>(['./*.ts', '!./index.ts', '!./*.test.ts'], {
  eager: true,
});
const indexSource = Object.values(
  import.meta.glob<string>('./index.ts', { query: '?raw', import: 'default', eager: true }),
)[0];
const sources = import.meta.glob<string>(['../**/*.ts', '../**/*.tsx', '!../**/*.test.ts'], {
  query: '?raw',
  import: 'default',
  eager: true,
});

function isDict(value: unknown): value is Dict {
  return (
    typeof value === 'object' && value !== null && Object.values(value).every((v) => typeof v === 'string')
  );
}

const areas: Area[] = Object.entries(areaModules).flatMap(([file, exports]) =>
  Object.entries(exports).flatMap(([exportName, value]) => {
    const area = value as { en?: unknown; es?: unknown } | null;
    if (!area || !isDict(area.en) || !isDict(area.es)) return [];
    return [{ where: `${file.slice(2)}: ${exportName}`, exportName, en: area.en, es: area.es }];
  }),
);
const allKeys = new Set(areas.flatMap((a) => Object.keys(a.en)));

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/** Where each `t(...)` call sits, with its first argument: a literal key, or the fixed start of a template. */
function translationCalls(): { at: string; key: string; prefix: boolean }[] {
  const calls: { at: string; key: string; prefix: boolean }[] = [];
  const call = /\bt\(\s*(?:'([^'\n]*)'|"([^"\n]*)"|`([^`]*)`)/g;
  for (const [file, text] of Object.entries(sources)) {
    for (const match of text.matchAll(call)) {
      const line = text.slice(0, match.index).split('\n').length;
      const at = `${file.slice(3)}:${line}`;
      const template = match[3];
      if (template?.includes('${')) {
        calls.push({ at, key: template.slice(0, template.indexOf('${')), prefix: true });
      } else {
        calls.push({ at, key: match[1] ?? match[2] ?? template ?? '', prefix: false });
      }
    }
  }
  return calls;
}

describe('i18n dictionaries', () => {
  it('finds the string areas and the sources', () => {
    expect(areas.map((a) => a.exportName)).toContain('appStrings');
    expect(Object.keys(sources).length).toBeGreaterThan(10);
  });

  it.each(areas.map((a) => [a.where, a] as const))('%s: en and es have the same keys', (_, area) => {
    const en = Object.keys(area.en);
    const es = Object.keys(area.es);
    expect({ missingInSpanish: en.filter((k) => !(k in area.es)) }).toEqual({ missingInSpanish: [] });
    expect({ missingInEnglish: es.filter((k) => !(k in area.en)) }).toEqual({ missingInEnglish: [] });
  });

  it.each(areas.map((a) => [a.where, a] as const))('%s: no empty strings', (_, area) => {
    const empty = (dict: Dict) => Object.keys(dict).filter((k) => !dict[k]?.trim());
    expect({ emptyEnglish: empty(area.en), emptySpanish: empty(area.es) }).toEqual({
      emptyEnglish: [],
      emptySpanish: [],
    });
  });

  it.each(areas.map((a) => [a.where, a] as const))(
    '%s: both languages fill the same {placeholders}',
    (_, area) => {
      const mismatched = Object.keys(area.en).filter(
        (k) =>
          area.es[k] !== undefined &&
          placeholders(area.en[k] ?? '').join() !== placeholders(area.es[k]).join(),
      );
      expect({ mismatched }).toEqual({ mismatched: [] });
    },
  );

  it('no key is defined by two areas (the later one would silently win)', () => {
    const owner = new Map<string, string>();
    const twice: string[] = [];
    for (const area of areas) {
      for (const key of Object.keys(area.en)) {
        const first = owner.get(key);
        if (first) twice.push(`${key} (${first} and ${area.where})`);
        else owner.set(key, area.where);
      }
    }
    expect(twice).toEqual([]);
  });

  it('every area is registered in index.ts', () => {
    const registered = /const areas = \[([^\]]*)\]/.exec(indexSource ?? '')?.[1] ?? '';
    const registeredElsewhere = Object.values(sources).join('\n');
    const missing = areas.filter(
      (a) =>
        !new RegExp(`\\b${a.exportName}\\b`).test(registered) &&
        !new RegExp(`registerStrings\\(\\s*${a.exportName}\\b`).test(registeredElsewhere),
    );
    expect(missing.map((a) => a.where)).toEqual([]);
  });
});

describe('t() calls in the sources', () => {
  const calls = translationCalls();

  it('are found (the scan works)', () => {
    expect(calls.length).toBeGreaterThan(20);
  });

  it('name keys that exist', () => {
    const unknown = calls.filter((c) => !c.prefix && !allKeys.has(c.key)).map((c) => `${c.at} ${c.key}`);
    expect(unknown).toEqual([]);
  });

  it('built from a template start like some existing key', () => {
    const keys = [...allKeys];
    const unknown = calls
      .filter((c) => c.prefix && !keys.some((k) => k.startsWith(c.key)))
      .map((c) => `${c.at} ${c.key}…`);
    expect(unknown).toEqual([]);
  });
});
