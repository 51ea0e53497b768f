import { create } from 'zustand';
import { api, setCredentials } from '../api/client';
import { apiKey, sessionHint } from '../api/key';
import { getOnce } from '../api/prefetch';
import { type Capability, can, type Role } from './roles';
import { setupCode } from './setup-code';
import { type AuthStatus, type Phase, phaseOf, roleOf, type SignedIn, type User } from './status';

export interface AuthState {
  /** `loading` until the first status answer; `offline` when it could not be read. */
  phase: Phase | 'loading' | 'offline';
  user: User | null;
  role: Role | null;
  via: AuthStatus['via'];
  csrfToken: string | null;
  /** Why the status could not be read (phase `offline`). */
  error: string | null;
}

export const useAuth = create<AuthState>()(() => ({
  phase: 'loading',
  user: null,
  role: null,
  via: null,
  csrfToken: null,
  error: null,
}));

function applyStatus(status: AuthStatus): void {
  // A stored key the server no longer takes is dropped, so the sign-in page can show.
  if (apiKey.get() && status.via !== 'apiKey') apiKey.clear();
  // The owner exists: a setup code kept from a `/setup#<code>` link is of no use any more.
  if (!status.setupRequired) setupCode.clear();
  sessionHint.set(status.via === 'session' ? roleOf(status) : null);
  useAuth.setState({
    phase: phaseOf(status),
    user: status.user,
    role: roleOf(status),
    via: status.via,
    csrfToken: status.csrfToken,
    error: null,
  });
}

/** Reads who is signed in. `first`: takes the answer prefetched by main.tsx. */
export async function loadStatus(first = false): Promise<AuthStatus | null> {
  try {
    const status = first
      ? await getOnce<AuthStatus>('/api/auth/status')
      : await api.get<AuthStatus>('/api/auth/status');
    applyStatus(status);
    return status;
  } catch (error) {
    useAuth.setState({ phase: 'offline', error: error instanceof Error ? error.message : String(error) });
    return null;
  }
}

/** After setup, sign-in or accepting an invitation: the session cookie is set, this is its token. */
export function signedIn(answer: SignedIn): void {
  apiKey.clear();
  sessionHint.set(answer.user.role);
  useAuth.setState({
    phase: 'ready',
    user: answer.user,
    role: answer.user.role,
    via: 'session',
    csrfToken: answer.csrfToken,
    error: null,
  });
}

/** Ends the session (or forgets the API key) and goes back to the sign-in page. */
export async function signOut(): Promise<void> {
  if (useAuth.getState().via === 'session') {
    await api.post('/api/auth/sign-out').catch(() => undefined);
  }
  apiKey.clear();
  sessionHint.set(null);
  useAuth.setState({ phase: 'signIn', user: null, role: null, via: null, csrfToken: null });
  await loadStatus();
}

export function useCan(what: Capability): boolean {
  return useAuth((s) => can(s.role, what));
}

/** For code outside components (the editor store's guards). */
export function currentlyCan(what: Capability): boolean {
  return can(useAuth.getState().role, what);
}

setCredentials({
  apiKey: () => apiKey.get(),
  csrfToken: () => useAuth.getState().csrfToken,
  async refreshCsrf() {
    const status = await api.get<AuthStatus>('/api/auth/status');
    applyStatus(status);
    return status.via === 'session' ? status.csrfToken : null;
  },
});
