import { ApiError } from '../api/client';

/**
 * The message key (and its values) for an answer of the account endpoints, or null when the server's
 * own message is the best there is. Kept apart from the translations so it can be tested alone.
 */
export function authErrorKey(
  error: unknown,
  /** Where the answer came from: a wrong current password, or a link that is not found, say so. */
  context: 'signIn' | 'password' | 'invitation' = 'signIn',
): { key: string; vars?: Record<string, number> } | null {
  if (error instanceof TypeError) return { key: 'auth.offline' };
  if (!(error instanceof ApiError)) return null;
  if (context === 'password' && error.code === 'invalid_credentials') {
    return { key: 'auth.wrongCurrentPassword' };
  }
  if (context === 'invitation' && error.status === 404) return { key: 'invite.invalid' };
  switch (error.code) {
    case 'invalid_credentials':
      return { key: 'auth.invalidCredentials' };
    case 'too_many_attempts':
    case 'rate_limited':
      return error.retryAfter !== null
        ? { key: 'auth.tooManyIn', vars: { seconds: error.retryAfter } }
        : { key: 'auth.tooMany' };
    case 'setup_done':
      return { key: 'auth.setupDone' };
    case 'setup_code':
      return { key: 'auth.setupCode' };
    case 'forbidden':
      return { key: 'auth.forbidden' };
    case 'email_taken':
      return { key: 'auth.emailTaken' };
    case 'email_mismatch':
      return { key: 'invite.emailMismatch' };
    case 'invitation_gone':
      return { key: 'invite.invalid' };
  }
  return null;
}
