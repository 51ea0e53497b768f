import { createServer, type Server } from 'node:http';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { Api, sendError } from './api.js';
import { authMiddleware, resolvePrincipal, securityHeaders } from './auth/index.js';
import { serveEditor } from './editor.js';
import { inboxStreamRoute } from './inbox/index.js';
import { agentRoutes } from './routes/agents.js';
import { alertRoutes } from './routes/alerts.js';
import { analyticsRoutes } from './routes/analytics.js';
import { auditRoutes } from './routes/audit.js';
import { authRoutes } from './routes/auth.js';
import { campaignRoutes } from './routes/campaigns.js';
import { channelRoutes } from './routes/channels.js';
import { contactRoutes } from './routes/contacts.js';
import { contactCsvRoutes } from './routes/contacts-csv.js';
import { conversationRoutes } from './routes/conversations.js';
import { credentialRoutes } from './routes/credentials.js';
import { crmSyncRoutes } from './routes/crm-sync.js';
import { eventRoutes } from './routes/events.js';
import { executionRoutes } from './routes/executions.js';
import { flowRoutes } from './routes/flows.js';
import { hookRoutes } from './routes/hooks.js';
import { messageRoutes } from './routes/messages.js';
import { monitoringRoutes } from './routes/monitoring.js';
import { sandboxRoutes } from './routes/sandbox.js';
import { sandboxTemplateRoutes } from './routes/sandbox-templates.js';
import { segmentRoutes } from './routes/segments.js';
import { simulatorRoutes } from './routes/simulator.js';
import { subscriptionRoutes } from './routes/subscriptions.js';
import { systemRoutes } from './routes/system.js';
import { teamRoutes } from './routes/teams.js';
import { templateRoutes } from './routes/templates.js';
import { userRoutes } from './routes/users.js';
import { webhookRoutes } from './routes/webhook.js';
import { whatsappFastPath } from './routes/whatsapp-ingest.js';
import type { Runtime } from './runtime.js';
import { VERSION } from './version.js';

/** The HTTP surface: thin routes over the runtime's services. */
export function createApp(rt: Runtime): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // Behind a reverse proxy (SWITCHBOARD_TRUST_PROXY): the client's IP (throttling, rate limits, audit)
  // and scheme (Secure cookies, HSTS, the CSRF origin check) come from its X-Forwarded-* headers.
  app.set('trust proxy', rt.config.auth.trustProxy);

  app.use((req, res, next) => {
    const end = rt.metrics.http.startTimer();
    res.on('finish', () => {
      end({
        method: req.method,
        route:
          req.route?.path ??
          (res.locals.metricsRoute as string | undefined) ??
          (res.statusCode === 404 ? 'unmatched' : req.path),
        status: res.statusCode,
      });
    });
    next();
  });
  app.use(securityHeaders());
  // Who is calling, and their request budget (per API key, user or client IP), before any body is read.
  app.use(authMiddleware(rt.auth));
  const json = express.json({ limit: rt.config.bodyLimit, type: ['application/json', 'application/*+json'] });
  // Webhooks need their raw bytes for the signature check; their routes parse the body themselves.
  app.use((req, res, next) =>
    req.path.startsWith('/webhooks/') || req.path.startsWith('/hooks/') ? next() : json(req, res, next),
  );

  // Routes check their declared roles against the principal this resolves (a bearer key or the session cookie).
  const api = new Api(resolvePrincipal(rt.auth));
  // Webhooks first: the router tries routes in order, and these are the hottest ones.
  webhookRoutes(api, rt);
  hookRoutes(api, rt);
  systemRoutes(api, rt, VERSION);
  authRoutes(api, rt);
  userRoutes(api, rt);
  flowRoutes(api, rt, rt.flows);
  executionRoutes(api, rt);
  eventRoutes(api, rt);
  // Before the contact routes: `/api/contacts/:waId` would take `export.csv` and `import`.
  contactCsvRoutes(api, rt);
  contactRoutes(api, rt);
  messageRoutes(api, rt);
  channelRoutes(api, rt);
  credentialRoutes(api, rt);
  sandboxRoutes(api, rt);
  simulatorRoutes(api, rt);
  teamRoutes(api, rt);
  agentRoutes(api, rt);
  conversationRoutes(api, rt);
  // The inbox's live updates (Server-Sent Events).
  inboxStreamRoute(api, rt);
  auditRoutes(api, rt);
  analyticsRoutes(api, rt);
  subscriptionRoutes(api, rt);
  templateRoutes(api, rt);
  sandboxTemplateRoutes(api, rt);
  monitoringRoutes(api, rt);
  alertRoutes(api, rt);
  crmSyncRoutes(api, rt);
  segmentRoutes(api, rt);
  campaignRoutes(api, rt);
  const openapi = api.openapi({
    title: 'Switchboard API',
    version: VERSION,
    description:
      'Visual workflow automation for WhatsApp Business. Authenticate with `Authorization: Bearer <key>` ' +
      '(SWITCHBOARD_API_KEY or an API key), or sign in for a session cookie (writes then need `x-csrf-token`).',
  });
  (openapi.paths as Record<string, unknown>)['/api/openapi.json'] = {
    get: {
      summary: 'This document',
      tags: ['system'],
      security: [],
      responses: { 200: { description: 'OpenAPI 3.1' } },
    },
  };
  app.get('/api/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  app.use(api.router);

  // The editor (a static build) at `/`, with its pages' fallback to index.html; until it is built, `/`
  // answers with this JSON.
  app.use(serveEditor(rt.config.editorDir));
  app.get('/', (_req, res) => {
    res.json({
      name: 'Switchboard',
      version: VERSION,
      api: '/api',
      openapi: '/api/openapi.json',
      health: '/healthz',
      editor: 'not built',
    });
  });
  app.use((req, res) => sendError(res, 404, 'not_found', `no route for ${req.method} ${req.path}`));

  const onError: ErrorRequestHandler = (error, req, res, _next) => {
    const status = typeof error?.status === 'number' ? error.status : 500;
    if (error?.type === 'entity.too.large') {
      return sendError(res, 413, 'body_too_large', `the body is larger than ${rt.config.bodyLimit} bytes`);
    }
    if (error?.type === 'entity.parse.failed') {
      return sendError(res, 400, 'invalid_json', `the body is not valid JSON: ${error.message}`);
    }
    if (status >= 500) rt.logger.error({ err: error, path: req.path }, 'request failed');
    sendError(
      res,
      status,
      status >= 500 ? 'internal_error' : 'bad_request',
      status >= 500 ? 'something went wrong; see the server log' : String(error?.message),
    );
  };
  app.use(onError);
  return app;
}

/** The HTTP server: Meta's webhook POSTs on their fast path, everything else through Express. */
export function createHttpServer(rt: Runtime): Server {
  const app = createApp(rt);
  const fast = whatsappFastPath(rt);
  return createServer((req, res) => {
    if (!fast(req, res)) app(req, res);
  });
}
