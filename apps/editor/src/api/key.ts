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
