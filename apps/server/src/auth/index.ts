export {
  type AuthMiddlewareOptions,
  authMiddleware,
  authStateOf,
  resolvePrincipal,
  securityHeaders,
} from './middleware.js';
export { dummyHash, hashPassword, hashPasswordSync, Password, verifyPassword } from './passwords.js';
export { RateLimiter } from './rate-limit.js';
export {
  type AuthActor,
  type AuthEvent,
  type AuthEventKind,
  AuthService,
  type AuthState,
  type AuthTarget,
  isRole,
  OWNER_KEY_LABEL,
  type PublicUser,
  publicUser,
} from './service.js';
export { SignInThrottle } from './throttle.js';
export { randomToken, readCookie, SESSION_COOKIE, safeEqual, sessionCookie, sha256 } from './tokens.js';
