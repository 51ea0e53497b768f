import type { Request, RequestHandler, Response } from 'express';
import { sendError } from '../api.js';
import type { AuthService, AuthState } from './service.js';

/**
 * Headers on every answer: no MIME sniffing, no referrer, no framing, a separate browsing context
 * group, HSTS over HTTPS only (over plain HTTP it would be ignored, or pin a name that is not served
 * over TLS). A strict Content-Security-Policy for everything that is not the editor's page (JSON, files):
 * the editor's page sets its own (editor.ts), which replaces this one.
 */
export function securityHeaders(): RequestHandler {
  return (req, res, next) => {
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('x-frame-options', 'DENY');
    res.setHeader('cross-origin-opener-policy', 'same-origin');
    res.setHeader('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
    if (req.secure) res.setHeader('strict-transport-security', 'max-age=31536000; includeSubDomains');
    next();
  };
}

/** The auth state of a request, resolving it on first use. */
export async function authStateOf(auth: AuthService, req: Request, res: Response): Promise<AuthState> {
  const known = res.locals.auth as AuthState | undefined;
  if (known) return known;
  const state = await auth.resolve(req);
  res.locals.auth = state;
  res.locals.principal = state.principal;
  if (state.refreshCookie) res.setHeader('set-cookie', auth.cookie(state.refreshCookie, req));
  else if (state.staleCookie) res.setHeader('set-cookie', auth.cookie('', req, true));
  return state;
}

export interface AuthMiddlewareOptions {
  /** Paths under which requests spend the per-caller budget. Default `/api/`. */
  limitedPrefix?: string;
}

/**
 * Resolves the caller of every `/api` request (into `res.locals.principal`) and spends one token of
 * their budget: per API key, user or owner key, else per client IP. Webhooks (`/webhooks/*`,
 * `/hooks/*`), health, readiness, metrics, the sandbox and the editor's files are outside `/api` and so
 * neither resolved here nor limited (routes resolve lazily through `authStateOf`).
 */
export function authMiddleware(auth: AuthService, options: AuthMiddlewareOptions = {}): RequestHandler {
  const prefix = options.limitedPrefix ?? '/api/';
  return async (req, res, next) => {
    if (!req.path.startsWith(prefix)) return next();
    const state = await authStateOf(auth, req, res);
    const limiter = auth.rateLimiter;
    if (limiter) {
      const wait = limiter.take(auth.rateKey(state.principal, req.ip));
      if (wait > 0) {
        res.setHeader('retry-after', String(wait));
        return sendError(
          res,
          429,
          'rate_limited',
          `too many requests from this ${state.principal ? 'caller' : 'address'}; try again in ${wait} s`,
        );
      }
    }
    next();
  };
}

/** For `Api`: makes sure the request's principal is resolved (routes outside `/api` resolve here). */
export function resolvePrincipal(auth: AuthService): RequestHandler {
  return async (req, res, next) => {
    await authStateOf(auth, req, res);
    next();
  };
}
