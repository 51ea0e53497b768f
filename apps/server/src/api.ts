import { type Request, type RequestHandler, type Response, Router } from 'express';

type ExpressRouter = ReturnType<typeof Router>;

import { z } from 'zod';
import { keyMatches } from './api-key.js';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** owner > admin (everything but ownership) > builder (flows, tests) ; agent (own teams' inbox) ; viewer (read-only). */
export const ROLES = ['owner', 'admin', 'builder', 'agent', 'viewer'] as const;
export type Role = (typeof ROLES)[number];
export type RouteRoles = 'public' | readonly Role[];

/** Who is calling, resolved by authentication (a session cookie or an API key) and kept in `res.locals.principal`. */
export interface Principal {
  kind: 'session' | 'apiKey';
  role: Role;
  /** The signed-in user, or the API key's creator; null for SWITCHBOARD_API_KEY (the owner key). */
  userId: string | null;
  /** For API keys: the key's id (never the key). */
  keyId: string | null;
  /** For sessions: the session id, to check CSRF tokens and sign out. */
  sessionId: string | null;
  /** Readable, for logs and the audit trail: the user's email, the key's name. */
  label?: string;
}

/** What authentication leaves in `res.locals.auth` (see auth/credentials.ts). */
interface ResolvedAuth {
  principal: Principal | undefined;
  csrfToken: string | null;
  problem?: string;
}

const WRITES = new Set<Method>(['post', 'put', 'patch', 'delete']);

/** The origin this request was addressed to (`trust proxy` decides whether forwarded headers count). */
export function ownOrigin(req: Request): string {
  return `${req.protocol}://${req.host}`;
}

/**
 * Why a cookie-authenticated write is refused as a possible cross-site request forgery; undefined when
 * it is fine: an `Origin` header, when present, must be this server's, and `x-csrf-token` must be the
 * session's token.
 */
export function csrfProblem(req: Request, sessionToken: string | null): string | undefined {
  const origin = req.get('origin');
  if (origin !== undefined && origin !== ownOrigin(req)) {
    return `cross-origin write refused: Origin ${origin} is not this server (${ownOrigin(req)})`;
  }
  const sent = req.get('x-csrf-token');
  if (!sent || !sessionToken || !keyMatches(sent, sessionToken)) {
    return 'a write in a signed-in session needs the x-csrf-token header, set to the csrfToken from sign-in or GET /api/auth/status';
  }
  return undefined;
}

export interface RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  method: Method;
  /** Express path, e.g. `/api/flows/:id`. */
  path: string;
  summary: string;
  tag: string;
  /**
   * Who may call it: `public` (no credentials: webhooks, health, sign-in), or the roles allowed.
   * Required: a route without it does not compile, and the role × route matrix test
   * (test/roles-matrix.test.ts) fails until the route is in its table (docs/security.md, "Roles and routes").
   */
  roles: RouteRoles;
  /** Runs before validation (e.g. a raw-body parser). */
  middleware?: RequestHandler[];
  params?: P;
  query?: Q;
  /** Validated request body. */
  body?: B;
  /** Documented but validated by the handler itself (e.g. flows, which get a full problem list). */
  bodyDoc?: z.ZodType;
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
  handler: (
    input: {
      params: z.output<P>;
      query: z.output<Q>;
      body: z.output<B>;
      req: Request;
      /** Who is calling: always set on routes with roles; on public routes, only when credentials came. */
      principal: Principal | undefined;
    },
    res: Response,
  ) => unknown;
}

export interface Problem {
  path: string;
  message: string;
}

/** Sends the one error shape every route uses: `{ error, message, problems? }`. */
export function sendError(
  res: Response,
  status: number,
  error: string,
  message: string,
  problems?: unknown[],
) {
  res.status(status).json({ error, message, ...(problems ? { problems } : {}) });
}

/**
 * Routes declared once: the same zod schemas validate requests and generate the OpenAPI document.
 */
export class Api {
  readonly router: ExpressRouter = Router();
  private readonly specs: Array<RouteSpec<z.ZodType, z.ZodType, z.ZodType>> = [];

  /**
   * @param authenticate resolves the caller into `res.locals.principal` (and `res.locals.auth`) and
   *   always calls `next`: routes decide, by their `roles`, whether they need one.
   */
  constructor(private readonly authenticate: RequestHandler) {}

  /** Every declared route, with the roles it allows (for the role × route matrix and the docs). */
  routes(): Array<{ method: Method; path: string; roles: RouteRoles; declared: boolean }> {
    return this.specs.map((s) => ({
      method: s.method,
      path: s.path,
      roles: rolesOf(s),
      declared: s.roles !== undefined,
    }));
  }

  add<
    P extends z.ZodType = z.ZodObject,
    Q extends z.ZodType = z.ZodObject,
    B extends z.ZodType = z.ZodUnknown,
  >(spec: RouteSpec<P, Q, B>): void {
    this.specs.push(spec as unknown as RouteSpec<z.ZodType, z.ZodType, z.ZodType>);
    const validate: RequestHandler = async (req, res) => {
      const problems: Problem[] = [];
      const check = <S extends z.ZodType>(schema: S | undefined, value: unknown, where: string) => {
        if (!schema) return value;
        const parsed = schema.safeParse(value ?? {});
        if (parsed.success) return parsed.data;
        for (const i of parsed.error.issues) {
          problems.push({ path: ['$', where, ...i.path.map(String)].join('.'), message: i.message });
        }
        return undefined;
      };
      const params = check(spec.params, req.params, 'params');
      const query = check(spec.query, req.query, 'query');
      const body = check(spec.body, req.body, 'body');
      if (problems.length > 0) {
        sendError(res, 400, 'invalid_request', `the request has ${problems.length} problem(s)`, problems);
        return;
      }
      await spec.handler({ params, query, body, req, principal: res.locals.principal } as never, res);
    };
    const roles = rolesOf(spec);
    const authorize: RequestHandler = (req, res, next) => {
      const principal = res.locals.principal as Principal | undefined;
      const state = res.locals.auth as ResolvedAuth | undefined;
      if (!principal) {
        res.setHeader('www-authenticate', 'Bearer');
        return sendError(
          res,
          401,
          'unauthorized',
          state?.problem ?? 'sign in, or send an API key as "Authorization: Bearer <key>"',
        );
      }
      if (principal.kind === 'session' && WRITES.has(spec.method)) {
        const problem = csrfProblem(req, state?.csrfToken ?? null);
        if (problem) return sendError(res, 403, 'csrf', problem);
      }
      if (roles !== 'public' && !roles.includes(principal.role)) {
        return sendError(
          res,
          403,
          'forbidden',
          `the ${principal.role} role may not ${spec.method.toUpperCase()} ${spec.path}: it needs ${roles.join(', ')}`,
        );
      }
      next();
    };
    const chain = [
      this.authenticate,
      ...(roles === 'public' ? [] : [authorize]),
      ...(spec.middleware ?? []),
      validate,
    ];
    this.router[spec.method](spec.path, ...chain);
  }

  /** The OpenAPI 3.1 document for every declared route. */
  openapi(info: { title: string; version: string; description: string }) {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const s of this.specs) {
      const path = s.path.replace(/:([A-Za-z_]+)/g, '{$1}');
      const parameters = [...objectParams(s.params, 'path'), ...objectParams(s.query, 'query')];
      const body = s.body ?? s.bodyDoc;
      paths[path] ??= {};
      paths[path][s.method] = {
        summary: s.summary,
        tags: [s.tag],
        ...(rolesOf(s) === 'public' ? { security: [] } : { 'x-roles': rolesOf(s) }),
        ...(parameters.length ? { parameters } : {}),
        ...(body
          ? {
              requestBody: {
                required: true,
                content: { 'application/json': { schema: jsonSchema(body, 'input') } },
              },
            }
          : {}),
        responses: Object.fromEntries(
          Object.entries(s.responses).map(([status, r]) => [
            status,
            {
              description: r.description,
              ...(r.schema
                ? {
                    content: {
                      [r.contentType ?? 'application/json']: { schema: jsonSchema(r.schema, 'output') },
                    },
                  }
                : {}),
            },
          ]),
        ),
      };
    }
    return {
      openapi: '3.1.0',
      info,
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description: 'SWITCHBOARD_API_KEY, the generated key, or an API key (`sbk_…`) from /api/api-keys',
          },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'sb_session',
            description: 'The session cookie set by sign-in; writes also need the `x-csrf-token` header',
          },
        },
        schemas: { Error: jsonSchema(ErrorBody, 'output') },
      },
      security: [{ bearer: [] }, { session: [] }],
      paths,
    };
  }
}

/** A route's roles (declared by every route; a spec built around the types without them allows any role). */
function rolesOf(spec: { roles?: RouteRoles }): RouteRoles {
  return spec.roles ?? ROLES;
}

export const ErrorBody = z.object({
  error: z.string(),
  message: z.string(),
  problems: z.array(z.object({ path: z.string(), message: z.string() }).loose()).optional(),
});

function jsonSchema(schema: z.ZodType, io: 'input' | 'output') {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
}

function objectParams(schema: z.ZodType | undefined, where: 'path' | 'query') {
  if (!(schema instanceof z.ZodObject)) return [];
  const json = jsonSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: s,
  }));
}
