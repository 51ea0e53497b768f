import type { Request, Response } from 'express';
import { z } from 'zod';
import { type Api, ErrorBody, type Principal, ROLES, sendError } from '../api.js';
import { Password, publicUser, verifyPassword } from '../auth/index.js';
import type { Runtime } from '../runtime.js';

const TAG = 'auth';

export const UserBody = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
});

const SessionBody = z.object({
  user: UserBody,
  csrfToken: z.string().describe('Send it as `x-csrf-token` on every write made with the session cookie'),
});

export const Email = z
  .email({ message: 'must be an email address' })
  .max(254, 'must be at most 254 characters')
  .transform((v) => v.trim().toLowerCase());
export const PersonName = z.string().trim().min(1, 'the name is required').max(100, 'at most 100 characters');

/** Starts a session for the user: the cookie on the answer, and the body every sign-in route returns. */
export async function signedIn(
  rt: Runtime,
  req: Request,
  res: Response,
  user: { id: string; email: string; name: string; role: string },
  status = 200,
) {
  // A session the browser already had is replaced, not kept alongside (no session fixation, no leftovers).
  const previous = (res.locals.principal as Principal | undefined)?.sessionId;
  if (previous) await rt.auth.users.deleteSession(previous);
  const { token, csrfToken } = await rt.auth.startSession(user.id, req);
  res.setHeader('set-cookie', rt.auth.cookie(token, req));
  res.setHeader('cache-control', 'no-store');
  res.status(status).json({ user: publicUser(user), csrfToken });
}

/** Sign-up of the first owner, sign-in and -out, password change, and who the caller is. */
export function authRoutes(api: Api, rt: Runtime): void {
  api.add({
    method: 'get',
    path: '/api/auth/status',
    roles: 'public',
    tag: TAG,
    summary:
      'Whether the owner sign-up is still open, and who the caller is (with the CSRF token of a session)',
    responses: {
      200: {
        description: 'Status',
        schema: z.object({
          setupRequired: z.boolean(),
          user: UserBody.nullable().describe(
            'The signed-in user (null with an API key or without credentials)',
          ),
          csrfToken: z.string().nullable(),
          via: z.enum(['session', 'apiKey']).nullable(),
          role: z
            .enum(ROLES)
            .nullable()
            .describe("The caller's role (also for API keys); null when anonymous"),
        }),
      },
    },
    handler: async ({ principal }, res) => {
      const state = res.locals.auth as { csrfToken: string | null } | undefined;
      const user =
        principal?.kind === 'session' && principal.userId
          ? await rt.auth.users.getUser(principal.userId)
          : undefined;
      const setupRequired = await rt.auth.setupRequired();
      res.setHeader('cache-control', 'no-store');
      res.json({
        setupRequired,
        user: user ? publicUser(user) : null,
        csrfToken: principal?.kind === 'session' ? (state?.csrfToken ?? null) : null,
        via: principal?.kind ?? null,
        role: principal?.role ?? null,
      });
    },
  });

  api.add({
    method: 'post',
    path: '/api/auth/setup',
    roles: 'public',
    tag: TAG,
    summary:
      'First start: create the owner account and sign in (only while there are no users), with the setup code the server printed when it started, or with the owner key',
    body: z.object({
      setupCode: z
        .string()
        .max(200)
        .optional()
        .describe(
          'The one-time code in the link the server printed when it started (`…/setup#<code>`); not needed with the owner key as Bearer',
        ),
      email: Email,
      name: PersonName,
      password: Password,
    }),
    responses: {
      201: {
        description:
          'The owner, signed in (session cookie set); with the owner key, no session is started and `csrfToken` is null',
        schema: SessionBody.extend({ csrfToken: z.string().nullable() }),
      },
      400: { description: 'invalid_request (e.g. a password under 10 characters)', schema: ErrorBody },
      403: {
        description:
          "setup_code: the setup code is missing or wrong (it is printed in the server's output when it started)",
        schema: ErrorBody,
      },
      409: { description: 'setup_done: an account exists already; sign in', schema: ErrorBody },
      429: {
        description: 'too_many_attempts: too many wrong setup codes from this IP; see Retry-After',
        schema: ErrorBody,
      },
    },
    handler: async ({ body, req, principal }, res) => {
      const done = () =>
        sendError(
          res,
          409,
          'setup_done',
          'the owner account exists already; sign in at POST /api/auth/sign-in',
        );
      if (!(await rt.auth.setupRequired())) {
        rt.auth.closeSetup();
        return done();
      }
      // An automation that holds the owner key (SWITCHBOARD_API_KEY, data/api-key) may make the owner:
      // it can do everything already. Anyone else needs the code printed on the server's terminal.
      const byKey = principal?.kind === 'apiKey' && principal.role === 'owner';
      if (!byKey) {
        const check = rt.auth.checkSetupCode(body.setupCode, req.ip);
        if (!check.ok) {
          if (check.reason === 'throttled') {
            res.setHeader('retry-after', String(check.retryAfterSeconds));
            return sendError(
              res,
              429,
              'too_many_attempts',
              `too many wrong setup codes; try again in ${check.retryAfterSeconds} s`,
            );
          }
          return sendError(
            res,
            403,
            'setup_code',
            check.reason === 'missing'
              ? "creating the owner account needs the setup code: it is printed in the server's output when it started (the link ending in /setup#<code>)"
              : "the setup code is not right: use the one printed in the server's output when it started (each start prints a new one)",
          );
        }
      }
      const user = await rt.auth.createFirstOwner(body);
      if (!user) return done();
      rt.auth.closeSetup();
      const self = { kind: 'user' as const, id: user.id, label: user.email };
      await rt.auth.emit('user_joined', {
        actor: byKey ? rt.auth.actorOf(principal) : self,
        target: self,
        ip: req.ip ?? null,
        detail: { role: 'owner', via: 'setup', with: byKey ? 'ownerKey' : 'setupCode' },
      });
      if (byKey) {
        // A bearer caller gets no cookie: the owner signs in with their password when they come.
        res.setHeader('cache-control', 'no-store');
        return res.status(201).json({ user: publicUser(user), csrfToken: null });
      }
      await rt.auth.emit('sign_in', { actor: self, target: self, ip: req.ip ?? null });
      await signedIn(rt, req, res, user, 201);
    },
  });

  api.add({
    method: 'post',
    path: '/api/auth/sign-in',
    roles: 'public',
    tag: TAG,
    summary: 'Sign in with email and password: sets the session cookie (HttpOnly, SameSite=Lax)',
    body: z.object({
      email: z.string().trim().min(1, 'the email is required').max(254),
      password: z.string().min(1, 'the password is required').max(200),
    }),
    responses: {
      200: { description: 'Signed in (session cookie set)', schema: SessionBody },
      401: {
        description: 'invalid_credentials: wrong email or password (the same answer for both)',
        schema: ErrorBody,
      },
      429: {
        description: 'too_many_attempts: too many failures for this address or from this IP; see Retry-After',
        schema: ErrorBody,
      },
    },
    handler: async ({ body, req }, res) => {
      const result = await rt.auth.signIn(body.email, body.password, req.ip);
      if (!result.ok) {
        if (result.reason === 'throttled') {
          res.setHeader('retry-after', String(result.retryAfterSeconds));
          return sendError(
            res,
            429,
            'too_many_attempts',
            `too many failed sign-ins; try again in ${result.retryAfterSeconds} s`,
          );
        }
        return sendError(res, 401, 'invalid_credentials', 'the email or the password is not right');
      }
      const { user } = result;
      await rt.auth.emit('sign_in', {
        actor: { kind: 'user', id: user.id, label: user.email },
        target: { kind: 'user', id: user.id, label: user.email },
        ip: req.ip ?? null,
      });
      await signedIn(rt, req, res, user);
    },
  });

  api.add({
    method: 'post',
    path: '/api/auth/sign-out',
    roles: ROLES,
    tag: TAG,
    summary: 'End this session (the cookie is cleared); with an API key it does nothing',
    responses: { 204: { description: 'Signed out' } },
    handler: async ({ principal, req }, res) => {
      const p = principal as Principal;
      if (p.sessionId) {
        await rt.auth.users.deleteSession(p.sessionId);
        await rt.auth.emit('sign_out', {
          actor: rt.auth.actorOf(p),
          target: p.userId ? { kind: 'user', id: p.userId, label: p.label ?? p.userId } : null,
          ip: req.ip ?? null,
        });
      }
      res.setHeader('set-cookie', rt.auth.cookie('', req, true));
      res.status(204).end();
    },
  });

  api.add({
    method: 'post',
    path: '/api/auth/password',
    roles: ROLES,
    tag: TAG,
    summary: "Change the signed-in user's password; their other sessions end",
    body: z.object({
      currentPassword: z.string().min(1, 'the current password is required').max(200),
      newPassword: Password,
    }),
    responses: {
      204: { description: 'Changed' },
      400: { description: 'invalid_request (e.g. a new password under 10 characters)', schema: ErrorBody },
      403: {
        description:
          'forbidden (not a password session, e.g. an API key) or invalid_credentials (wrong current password)',
        schema: ErrorBody,
      },
      429: { description: 'too_many_attempts: see Retry-After', schema: ErrorBody },
    },
    handler: async ({ body, principal, req }, res) => {
      const p = principal as Principal;
      const user = p.kind === 'session' && p.userId ? await rt.auth.users.getUser(p.userId) : undefined;
      if (!user || !p.sessionId) {
        return sendError(res, 403, 'forbidden', 'only a signed-in user (session) can change their password');
      }
      const key = `email:${user.email}`;
      const wait = rt.auth.throttle.wait([key]);
      if (wait > 0) {
        res.setHeader('retry-after', String(Math.ceil(wait / 1000)));
        return sendError(
          res,
          429,
          'too_many_attempts',
          `too many wrong passwords; try again in ${Math.ceil(wait / 1000)} s`,
        );
      }
      if (!(await verifyPassword(body.currentPassword, user.passwordHash))) {
        const failures = rt.auth.throttle.fail([key]);
        rt.logger.warn(
          { email: user.email, ip: req.ip, failures },
          'password change refused: wrong current password',
        );
        return sendError(res, 403, 'invalid_credentials', 'the current password is not right');
      }
      await rt.auth.setPassword(user.id, body.newPassword);
      const ended = await rt.auth.users.deleteUserSessions(user.id, p.sessionId);
      await rt.auth.emit('password_changed', {
        actor: rt.auth.actorOf(p),
        target: { kind: 'user', id: user.id, label: user.email },
        ip: req.ip ?? null,
        detail: { otherSessionsEnded: ended },
      });
      res.status(204).end();
    },
  });
}
