import type { ApiKeyRepository, AsyncOf, UserRepository } from '@switchboard/db';
import type { AppLogger } from '../logger.js';
import type { AuthEvents } from './events.js';
import type { SignInThrottle } from './throttle.js';

/** What the parts of `AuthService` share: its repositories, clock, throttle and events. */
export interface AuthContext {
  readonly users: AsyncOf<UserRepository>;
  readonly apiKeys: AsyncOf<ApiKeyRepository>;
  readonly throttle: SignInThrottle;
  readonly sessionMs: number;
  readonly logger: AppLogger;
  /** SWITCHBOARD_API_KEY or the generated key file's key: an owner key. */
  readonly ownerKey: () => string;
  readonly events: AuthEvents;
  now(): number;
  iso(ms?: number): string;
}
