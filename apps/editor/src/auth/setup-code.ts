import { setupCodeFromUrl } from './forms';

const STORAGE_KEY = 'switchboard.setupCode';

/**
 * The one-time setup code the server prints on a start with no owner yet, as a link: `/setup#<code>`.
 * Like the API key's `#key=` link (api/key.ts), the code is taken from the fragment once and the
 * address becomes `/`, so it stays out of the history, bookmarks and screenshots. It is kept in this
 * tab's sessionStorage (gone when the tab closes), so a reload before the form is sent still has it, and
 * forgotten once the owner exists or the server refuses it.
 */
export function captureSetupCodeFromUrl(): void {
  const { pathname, hash, search } = window.location;
  if (pathname.replace(/\/+$/, '') !== '/setup') return;
  const code = setupCodeFromUrl(pathname, hash);
  if (code) setupCode.set(code);
  history.replaceState(null, '', `/${search}`);
}

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

export const setupCode = {
  get: (): string | null => storage()?.getItem(STORAGE_KEY) ?? null,
  set: (code: string) => storage()?.setItem(STORAGE_KEY, code),
  clear: () => storage()?.removeItem(STORAGE_KEY),
};
