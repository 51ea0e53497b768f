const STORAGE_KEY = 'switchboard.apiKey';

/**
 * The API key lives in this browser's localStorage. The server's first start prints a link with the key
 * in the URL fragment (`/#key=…`), which browsers never send over the network; we take it from there once
 * and remove it from the address bar so it does not end up in bookmarks or screenshots.
 */
export function captureKeyFromUrl(): void {
  const match = /(?:^#|&)key=([^&]+)/.exec(window.location.hash);
  if (!match?.[1]) return;
  localStorage.setItem(STORAGE_KEY, decodeURIComponent(match[1]));
  history.replaceState(null, '', window.location.pathname + window.location.search);
}

export const apiKey = {
  get: (): string | null => localStorage.getItem(STORAGE_KEY),
  set: (key: string) => localStorage.setItem(STORAGE_KEY, key.trim()),
  clear: () => localStorage.removeItem(STORAGE_KEY),
};

const SESSION_HINT = 'switchboard.signedInAs';

/**
 * A hint that this browser signed in with a password, and with which role, so the first screen's data
 * can be fetched before the sign-in status answers (as with a stored key), and not fetched for a role
 * that may not read it. Only a hint: the session cookie is HttpOnly, and the status decides.
 */
export const sessionHint = {
  get: (): string | null => localStorage.getItem(SESSION_HINT),
  set: (role: string | null) =>
    role ? localStorage.setItem(SESSION_HINT, role) : localStorage.removeItem(SESSION_HINT),
};
