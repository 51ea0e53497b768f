import { NodeCatalogEntry } from '@switchboard/flow-schema';
import { z } from 'zod';
import type { Api } from '../api.js';
import { FLOW_READERS } from '../roles.js';
import type { Runtime } from '../runtime.js';

export function systemRoutes(api: Api, rt: Runtime, version: string): void {
  api.add({
    method: 'get',
    path: '/healthz',
    roles: 'public',
    tag: 'system',
    summary: 'Liveness: the process answers',
    responses: {
      200: { description: 'Alive', schema: z.object({ status: z.literal('ok'), version: z.string() }) },
    },
    handler: (_, res) => res.json({ status: 'ok', version }),
  });

  api.add({
    method: 'get',
    path: '/readyz',
    roles: 'public',
    tag: 'system',
    summary: 'Readiness: the database answers and (unless SWITCHBOARD_ROLE=web) the scheduler runs',
    responses: {
      200: {
        description: 'Ready',
        schema: z.object({ status: z.literal('ready'), checks: z.record(z.string(), z.string()) }),
      },
      503: {
        description: 'Not ready',
        schema: z.object({ status: z.literal('not_ready'), checks: z.record(z.string(), z.string()) }),
      },
    },
    handler: async (_, res) => {
      const checks: Record<string, string> = {};
      try {
        await rt.pingDatabase();
        checks.database = 'ok';
      } catch (error) {
        checks.database = error instanceof Error ? error.message : 'failed';
      }
      // A web process runs no loops: it is ready when it can store.
      if (rt.config.role !== 'web') checks.scheduler = rt.scheduler ? 'ok' : 'stopped';
      const ready = Object.values(checks).every((v) => v === 'ok');
      res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks });
    },
  });

  api.add({
    method: 'get',
    path: '/metrics',
    roles: 'public',
    tag: 'system',
    summary: 'Prometheus metrics',
    responses: {
      200: { description: 'Prometheus text format', schema: z.string(), contentType: 'text/plain' },
    },
    handler: async (_, res) => {
      res.type(rt.metrics.registry.contentType).send(await rt.metrics.registry.metrics());
    },
  });

  api.add({
    method: 'get',
    path: '/api/node-types',
    roles: FLOW_READERS,
    tag: 'catalog',
    summary: 'The node catalog: types, labels (en/es), ports and params JSON Schema',
    responses: { 200: { description: 'Catalog', schema: z.object({ items: z.array(NodeCatalogEntry) }) } },
    handler: (_, res) => res.json({ items: rt.registry.entries() }),
  });
}
