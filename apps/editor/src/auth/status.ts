import { isRole, type Role } from './roles';

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
}

/** `GET /api/auth/status`: public, answers who is calling (if anyone) and whether the owner exists. */
export interface AuthStatus {
  setupRequired: boolean;
  user: User | null;
  csrfToken: string | null;
  via: 'session' | 'apiKey' | null;
  /** The caller's role when it is not a user's (an API key's). */
  role?: string | null;
}

/** `POST /api/auth/setup`, `/sign-in` and `/api/invitations/accept` answer this (and set the cookie). */
export interface SignedIn {
  user: User;
  csrfToken: string;
}

/** What the editor shows: the first-start page, the sign-in page, or the app. */
export type Phase = 'setup' | 'signIn' | 'ready';

export function phaseOf(status: AuthStatus): Phase {
  // An API key works before the owner exists (automation, the e2e tests), so it comes first.
  if (status.via === 'apiKey') return 'ready';
  if (status.via === 'session' && status.user) return 'ready';
  return status.setupRequired ? 'setup' : 'signIn';
}

/**
 * The caller's role: the user's, or the one the server gives an API key. The key from the server's
 * start (`SWITCHBOARD_API_KEY`, `data/api-key`) acts as the owner, and that is also what an older server
 * that does not say means.
 */
export function roleOf(status: AuthStatus): Role | null {
  if (status.user && isRole(status.user.role)) return status.user.role;
  if (status.via === 'apiKey') {
    if (status.role === undefined || status.role === null) return 'owner';
    return isRole(status.role) ? status.role : null;
  }
  return null;
}
