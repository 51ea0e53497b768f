import { type Request, type RequestHandler, type Response, Router } from 'express';

type ExpressRouter = ReturnType<typeof Router>;

import { z } from 'zod';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  method: Method;
  /** Express path, e.g. `/api/flows/:id`. */
  path: string;
  summary: string;
  tag: string;
  /** Default true: needs `Authorization: Bearer <key>`. */
  auth?: boolean;
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
    input: { params: z.output<P>; query: z.output<Q>; body: z.output<B>; req: Request },
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

  constructor(private readonly authenticate: RequestHandler) {}

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
      await spec.handler({ params, query, body, req } as never, res);
    };
    const chain = [...(spec.auth === false ? [] : [this.authenticate]), ...(spec.middleware ?? []), validate];
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
        ...(s.auth === false ? { security: [] } : {}),
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
          bearer: { type: 'http', scheme: 'bearer', description: 'SWITCHBOARD_API_KEY or the generated key' },
        },
        schemas: { Error: jsonSchema(ErrorBody, 'output') },
      },
      security: [{ bearer: [] }],
      paths,
    };
  }
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
