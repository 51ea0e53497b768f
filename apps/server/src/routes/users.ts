import { z } from 'zod';
import { type Api, ErrorBody, ownOrigin, type Principal, ROLES, type Role, sendError } from '../api.js';
import { Password, publicUser } from '../auth/index.js';
import type { Runtime } from '../runtime.js';
import { Email, PersonName, signedIn, UserBody } from './auth.js';

/** Users, invitations and API keys are managed by owners and admins. */
const ADMINS = ['owner', 'admin'] as const satisfies readonly Role[];

const UserInfoBody = UserBody.extend({
  createdAt: z.string(),
  updatedAt: z.string(),
  lastSignInAt: z.string().nullable(),
});
const InvitationBody = z.object({
  id: z.string(),
  role: z.enum(ROLES),
  email: z.string().nullable(),
  invitedBy: z.string().nullable(),
  createdAt: z.string(),
  expiresAt: z.string(),
});
const ApiKeyBody = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  createdBy: z.string().nullable(),
});
const IdParams = z.object({ id: z.string().min(1).max(100) });
const Token = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'not an invitation token');

/** "Everything but ownership": an admin may not grant the owner role or touch an owner. */
function ownershipRefused(principal: Principal, role: string | undefined, what: string): string | undefined {
  if (principal.role === 'owner' || role !== 'owner') return undefined;
  return `only an owner can ${what}`;
}

const userInfo = (u: {
  id: string;
  email: string;
  name: string;
  role: string;
  createdAt: string;
  updatedAt: string;
  lastSignInAt: string | null;
}) => ({ ...publicUser(u), createdAt: u.createdAt, updatedAt: u.updatedAt, lastSignInAt: u.lastSignInAt });

export function userRoutes(api: Api, rt: Runtime): void {
  const auth = rt.auth;

  // --- users ---

  api.add({
    method: 'get',
    path: '/api/users',
    roles: ADMINS,
    tag: 'users',
    summary: 'Every user account (never a password hash)',
    responses: { 200: { description: 'Users', schema: z.object({ items: z.array(UserInfoBody) }) } },
    handler: async (_, res) => {
      res.json({ items: (await auth.users.listUsers()).map(userInfo) });
    },
  });

  api.add({
    method: 'patch',
    path: '/api/users/:id',
    roles: ADMINS,
    tag: 'users',
    summary:
      "Change a user's role or name (admins cannot grant or change the owner role; the last owner stays)",
    params: IdParams,
    body: z.object({ role: z.enum(ROLES).optional(), name: PersonName.optional() }),
    responses: {
      200: { description: 'Changed', schema: UserInfoBody },
      403: { description: 'forbidden: an admin granting or changing the owner role', schema: ErrorBody },
      404: { description: 'Unknown user', schema: ErrorBody },
      409: { description: 'last_owner: the only owner cannot be demoted', schema: ErrorBody },
    },
    handler: async ({ params, body, principal, req }, res) => {
      const p = principal as Principal;
      const target = await auth.users.getUser(params.id);
      if (!target) return sendError(res, 404, 'not_found', `no user "${params.id}"`);
      const refused =
        ownershipRefused(p, target.role, 'change an owner') ??
        ownershipRefused(p, body.role, 'grant the owner role');
      if (refused) return sendError(res, 403, 'forbidden', refused);
      const changes = {
        ...(body.role !== undefined ? { role: body.role } : {}),
        ...(body.name !== undefined ? { name: body.name } : {}),
      };
      const updated = await auth.users.updateUser(params.id, changes, auth.nowIso());
      if (updated === 'last_owner')
        return sendError(res, 409, 'last_owner', 'this is the only owner: make someone else owner first');
      if (!updated) return sendError(res, 404, 'not_found', `no user "${params.id}"`);
      await auth.emit('user_changed', {
        actor: auth.actorOf(p),
        target: { kind: 'user', id: updated.id, label: updated.email },
        ip: req.ip ?? null,
        detail: {
          ...(body.role !== undefined && body.role !== target.role
            ? { role: { from: target.role, to: body.role } }
            : {}),
          ...(body.name !== undefined && body.name !== target.name
            ? { name: { from: target.name, to: body.name } }
            : {}),
        },
      });
      res.json(userInfo(updated));
    },
  });

  api.add({
    method: 'delete',
    path: '/api/users/:id',
    roles: ADMINS,
    tag: 'users',
    summary: 'Remove a user: their sessions end and the API keys they created are revoked',
    params: IdParams,
    responses: {
      204: { description: 'Removed' },
      403: { description: 'forbidden: an admin removing an owner', schema: ErrorBody },
      404: { description: 'Unknown user', schema: ErrorBody },
      409: { description: 'last_owner: the only owner cannot be removed', schema: ErrorBody },
    },
    handler: async ({ params, principal, req }, res) => {
      const p = principal as Principal;
      const target = await auth.users.getUser(params.id);
      if (!target) return sendError(res, 404, 'not_found', `no user "${params.id}"`);
      const refused = ownershipRefused(p, target.role, 'remove an owner');
      if (refused) return sendError(res, 403, 'forbidden', refused);
      const removed = await auth.removeUser(params.id);
      if (!removed.ok) {
        return removed.reason === 'last_owner'
          ? sendError(res, 409, 'last_owner', 'this is the only owner: make someone else owner first')
          : sendError(res, 404, 'not_found', `no user "${params.id}"`);
      }
      const actor = auth.actorOf(p);
      await auth.emit('user_removed', {
        actor,
        target: { kind: 'user', id: target.id, label: target.email },
        ip: req.ip ?? null,
        detail: { role: target.role, revokedKeys: removed.revokedKeys },
      });
      for (const id of removed.revokedKeys) {
        await auth.emit('api_key_revoked', {
          actor,
          target: { kind: 'apiKey', id },
          ip: req.ip ?? null,
          detail: { because: 'creator_removed' },
        });
      }
      res.status(204).end();
    },
  });

  // --- invitations ---

  api.add({
    method: 'post',
    path: '/api/invitations',
    roles: ADMINS,
    tag: 'users',
    summary: 'Invite someone by link: the answer carries the link (shown once), valid for 7 days',
    body: z.object({ role: z.enum(ROLES), email: Email.nullish() }),
    responses: {
      201: {
        description: 'The invitation, with its one-time link',
        schema: z.object({
          id: z.string(),
          role: z.enum(ROLES),
          email: z.string().nullable(),
          expiresAt: z.string(),
          url: z.string().describe('`<server>/invite#<token>`: give it to the person; it is not shown again'),
        }),
      },
      403: { description: 'forbidden: an admin inviting an owner', schema: ErrorBody },
      409: { description: 'email_taken: a user with this address exists', schema: ErrorBody },
    },
    handler: async ({ body, principal, req }, res) => {
      const p = principal as Principal;
      const refused = ownershipRefused(p, body.role, 'invite an owner');
      if (refused) return sendError(res, 403, 'forbidden', refused);
      if (body.email && (await auth.users.getUserByEmail(body.email)))
        return sendError(res, 409, 'email_taken', `a user with the address ${body.email} exists already`);
      const { token, invitation } = await auth.invite({
        role: body.role,
        email: body.email ?? null,
        invitedBy: p.userId,
      });
      await auth.emit('user_invited', {
        actor: auth.actorOf(p),
        target: {
          kind: 'invitation',
          id: invitation.id,
          ...(invitation.email ? { label: invitation.email } : {}),
        },
        ip: req.ip ?? null,
        detail: { role: invitation.role, email: invitation.email },
      });
      res.setHeader('cache-control', 'no-store');
      res.status(201).json({
        id: invitation.id,
        role: invitation.role,
        email: invitation.email,
        expiresAt: invitation.expiresAt,
        url: `${ownOrigin(req)}/invite#${token}`,
      });
    },
  });

  api.add({
    method: 'get',
    path: '/api/invitations',
    roles: ADMINS,
    tag: 'users',
    summary: 'Pending invitations (not used, not expired); never their tokens',
    responses: { 200: { description: 'Invitations', schema: z.object({ items: z.array(InvitationBody) }) } },
    handler: async (_, res) => {
      res.json({
        items: (await auth.users.listPendingInvitations(auth.nowIso())).map((i) => ({
          id: i.id,
          role: i.role,
          email: i.email,
          invitedBy: i.invitedBy,
          createdAt: i.createdAt,
          expiresAt: i.expiresAt,
        })),
      });
    },
  });

  api.add({
    method: 'delete',
    path: '/api/invitations/:id',
    roles: ADMINS,
    tag: 'users',
    summary: 'Withdraw an invitation (its link stops working)',
    params: IdParams,
    responses: { 204: { description: 'Withdrawn' }, 404: { description: 'Unknown', schema: ErrorBody } },
    handler: async ({ params }, res) => {
      if (!(await auth.users.deleteInvitation(params.id)))
        return sendError(res, 404, 'not_found', `no invitation "${params.id}"`);
      res.status(204).end();
    },
  });

  api.add({
    method: 'post',
    path: '/api/invitations/lookup',
    roles: 'public',
    tag: 'users',
    summary: 'What an invitation link offers (role, address), for the sign-up page',
    body: z.object({ token: Token }),
    responses: {
      200: {
        description: 'A pending invitation',
        schema: z.object({ role: z.enum(ROLES), email: z.string().nullable(), expiresAt: z.string() }),
      },
      404: { description: 'not_found: unknown, used or expired', schema: ErrorBody },
    },
    handler: async ({ body }, res) => {
      const found = await auth.invitationOf(body.token);
      if (!found || found === 'gone')
        return sendError(res, 404, 'not_found', 'this invitation link is unknown, used or expired');
      res.json({ role: found.role, email: found.email, expiresAt: found.expiresAt });
    },
  });

  api.add({
    method: 'post',
    path: '/api/invitations/accept',
    roles: 'public',
    tag: 'users',
    summary: 'Accept an invitation: creates the account with the invited role and signs in',
    body: z.object({ token: Token, email: Email, name: PersonName, password: Password }),
    responses: {
      201: {
        description: 'Signed in (session cookie set)',
        schema: z.object({ user: UserBody, csrfToken: z.string() }),
      },
      400: {
        description: 'invalid_request, or email_mismatch (the invitation names another address)',
        schema: ErrorBody,
      },
      404: { description: 'not_found: unknown token', schema: ErrorBody },
      409: { description: 'email_taken: a user with this address exists', schema: ErrorBody },
      410: { description: 'invitation_gone: used or expired', schema: ErrorBody },
    },
    handler: async ({ body, req }, res) => {
      const found = await auth.invitationOf(body.token);
      if (!found) return sendError(res, 404, 'not_found', 'this invitation link is unknown');
      const gone = () =>
        sendError(res, 410, 'invitation_gone', 'this invitation was used or has expired; ask for a new one');
      if (found === 'gone') return gone();
      const result = await auth.acceptInvitation(body.token, body);
      if (result === 'gone') return gone();
      if (result === 'email_mismatch')
        return sendError(res, 400, 'email_mismatch', 'this invitation is for another email address');
      if (result === 'email_taken')
        return sendError(
          res,
          409,
          'email_taken',
          `a user with the address ${body.email} exists already; sign in`,
        );
      const actor = { kind: 'user' as const, id: result.id, label: result.email };
      const target = { kind: 'user' as const, id: result.id, label: result.email };
      await auth.emit('user_joined', {
        actor,
        target,
        ip: req.ip ?? null,
        detail: { role: result.role, invitation: found.id, invitedBy: found.invitedBy },
      });
      await auth.emit('sign_in', { actor, target, ip: req.ip ?? null });
      await signedIn(rt, req, res, result, 201);
    },
  });

  // --- API keys ---

  api.add({
    method: 'get',
    path: '/api/api-keys',
    roles: ADMINS,
    tag: 'users',
    summary: 'API keys that work (never the keys themselves)',
    responses: { 200: { description: 'API keys', schema: z.object({ items: z.array(ApiKeyBody) }) } },
    handler: async (_, res) => {
      res.json({
        items: (await auth.apiKeys.listActive()).map((k) => ({
          id: k.id,
          name: k.name,
          role: k.role,
          createdAt: k.createdAt,
          lastUsedAt: k.lastUsedAt,
          createdBy: k.createdBy,
        })),
      });
    },
  });

  api.add({
    method: 'post',
    path: '/api/api-keys',
    roles: ADMINS,
    tag: 'users',
    summary: 'Create an API key with a role: the key is in this answer only (stored hashed)',
    body: z.object({
      name: z.string().trim().min(1, 'the name is required').max(100, 'at most 100 characters'),
      role: z.enum(ROLES),
    }),
    responses: {
      201: {
        description: 'Created; send `key` as "Authorization: Bearer <key>"',
        schema: z.object({
          id: z.string(),
          name: z.string(),
          role: z.enum(ROLES),
          key: z.string().describe('Shown this once'),
          createdAt: z.string(),
        }),
      },
      403: { description: 'forbidden: an admin creating an owner key', schema: ErrorBody },
    },
    handler: async ({ body, principal, req }, res) => {
      const p = principal as Principal;
      const refused = ownershipRefused(p, body.role, 'create an owner key');
      if (refused) return sendError(res, 403, 'forbidden', refused);
      const created = await auth.createApiKey({ name: body.name, role: body.role, createdBy: p.userId });
      await auth.emit('api_key_created', {
        actor: auth.actorOf(p),
        target: { kind: 'apiKey', id: created.id, label: created.meta.name },
        ip: req.ip ?? null,
        detail: { role: created.meta.role },
      });
      res.setHeader('cache-control', 'no-store');
      res.status(201).json({
        id: created.id,
        name: created.meta.name,
        role: created.meta.role,
        key: created.key,
        createdAt: created.meta.createdAt,
      });
    },
  });

  api.add({
    method: 'delete',
    path: '/api/api-keys/:id',
    roles: ADMINS,
    tag: 'users',
    summary: 'Revoke an API key (at once)',
    params: IdParams,
    responses: {
      204: { description: 'Revoked' },
      403: { description: 'forbidden: an admin revoking an owner key', schema: ErrorBody },
      404: { description: 'Unknown or already revoked', schema: ErrorBody },
    },
    handler: async ({ params, principal, req }, res) => {
      const p = principal as Principal;
      const key = await auth.apiKeys.meta(params.id);
      if (!key || key.revokedAt !== null)
        return sendError(res, 404, 'not_found', `no API key "${params.id}"`);
      const refused = ownershipRefused(p, key.role, 'revoke an owner key');
      if (refused) return sendError(res, 403, 'forbidden', refused);
      await auth.revokeApiKey(key.id);
      await auth.emit('api_key_revoked', {
        actor: auth.actorOf(p),
        target: { kind: 'apiKey', id: key.id, label: key.name },
        ip: req.ip ?? null,
        detail: { role: key.role },
      });
      res.status(204).end();
    },
  });
}
