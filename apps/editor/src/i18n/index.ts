import { useSyncExternalStore } from 'react';
import { analyticsStrings } from './analytics';
import { appStrings } from './app';
import { authStrings } from './auth';
import { campaignsStrings } from './campaigns';
import { contactsStrings } from './contacts';
import { executionsStrings } from './executions';
import { fieldStrings } from './fields';
import { historyStrings } from './history';
import { inboxStrings } from './inbox';
import { inspectorStrings } from './inspector';
import { integrationsStrings } from './integrations';
import { monitoringStrings } from './monitoring';
import { pickersStrings } from './pickers';
import { simulatorStrings } from './simulator';
import { templatesStrings } from './templates';

export type Lang = 'en' | 'es';
const STORAGE_KEY = 'switchboard.lang';

/**
 * Each area of the UI keeps its strings in its own file (`{ en, es }` with the same keys), so areas can
 * grow independently; they are merged here. Spanish is a first-class language, not a fallback.
 */
const areas = [
  appStrings,
  historyStrings,
  simulatorStrings,
  executionsStrings,
  inspectorStrings,
  fieldStrings,
  pickersStrings,
  authStrings,
  inboxStrings,
  analyticsStrings,
  templatesStrings,
  monitoringStrings,
  integrationsStrings,
  contactsStrings,
  campaignsStrings,
];

type Dict = Record<string, string>;
const dictionaries: Record<Lang, Dict> = { en: {}, es: {} };
for (const area of areas) {
  Object.assign(dictionaries.en, area.en);
  Object.assign(dictionaries.es, area.es);
}

/** Adds an area's strings (for areas that live in their own module). */
export function registerStrings(area: { en: Dict; es: Dict }): void {
  Object.assign(dictionaries.en, area.en);
  Object.assign(dictionaries.es, area.es);
}

function initialLang(): Lang {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === 'en' || saved === 'es') return saved;
  return navigator.language.toLowerCase().startsWith('es') ? 'es' : 'en';
}

let current: Lang = initialLang();
const listeners = new Set<() => void>();

export function setLang(lang: Lang): void {
  current = lang;
  localStorage.setItem(STORAGE_KEY, lang);
  document.documentElement.lang = lang;
  for (const l of listeners) l();
}

export function getLang(): Lang {
  return current;
}

/** Translates `key`, filling `{name}` placeholders; an unknown key shows itself so it is easy to spot. */
export function t(key: string, vars?: Record<string, string | number>): string {
  const text = dictionaries[current][key] ?? dictionaries.en[key] ?? key;
  return vars ? text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`)) : text;
}

/** Re-renders the component when the language changes; returns the current language. */
export function useLang(): Lang {
  return useSyncExternalStore(
    (cb) => {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    () => current,
  );
}
