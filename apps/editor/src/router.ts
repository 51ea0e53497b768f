import { useSyncExternalStore } from 'react';

/**
 * A tiny path router: `/` lists flows, `/flows/:id` edits one, `/people` manages users, `/inbox` and
 * `/inbox/:conversationId` are the agent inbox, `/analytics` the reports, `/templates` the message
 * templates, `/monitoring` the health page and alert rules, `/integrations` the event subscriptions
 * and CRM sync, `/contacts` the contacts CSV import/export and segments, `/campaigns` (with `/campaigns/new`,
 * `/campaigns/:id` and `/campaigns/:id/edit`) the broadcast campaigns (App.tsx picks the page).
 */
const listeners = new Set<() => void>();
window.addEventListener('popstate', () => {
  for (const l of listeners) l();
});

export function navigate(path: string): void {
  if (path === window.location.pathname + window.location.search) return;
  history.pushState(null, '', path);
  for (const l of listeners) l();
}

export function usePath(): string {
  return useSyncExternalStore(
    (cb) => {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    () => window.location.pathname,
  );
}
