import { defineNode, emit, type Json, NodeError, wait } from '@switchboard/engine';
import { Identifier } from '@switchboard/flow-schema';
import { z } from 'zod';
import { labels } from '../labels.js';
import type { RunOutcomeView } from '../services.js';
import { runFinishedKey } from '../wait-keys.js';

const FINAL = ['succeeded', 'failed', 'cancelled'];

/**
 * Runs another flow (one that starts with a manual trigger) for the same contact, with `input` as its
 * trigger payload. `wait` parks until the child run ends and leaves through `done` (its variables and
 * last output) or `failed`; `start` goes on at once through `started`. The calling step's idempotency key
 * is the child's, so a step re-run after a crash never starts a second child; calls nest at most 5 deep,
 * so A → B → A loops fail with a clear error instead of running forever.
 */
export const callFlow = defineNode({
  type: 'flow.callFlow',
  category: 'flow',
  // Not `pausesRun`: in start mode (or when the child already ended) it goes on at once, so a loop
  // through it alone would start children without end; validation asks for a delay in such a loop.
  sideEffect: true,
  labels: labels(
    ['Call another flow', 'Runs another flow for this contact and waits for its result, or just starts it.'],
    ['Llamar a otro flujo', 'Ejecuta otro flujo para este contacto y espera su resultado, o solo lo inicia.'],
  ),
  params: z.strictObject({
    flowId: Identifier.describe('The flow to run (it must start with a manual trigger)'),
    version: z
      .enum(['active', 'latest'])
      .default('active')
      .describe('active: only if that flow is active; latest: its latest saved version, e.g. while testing'),
    input: z
      .record(z.string(), z.unknown())
      .default({})
      .describe('Its trigger payload, e.g. { "orderId": "{{ trigger.body.orderId }}" }'),
    mode: z
      .enum(['wait', 'start'])
      .default('wait')
      .describe('wait: continue when it ends, with its result; start: continue at once'),
    timeoutSeconds: z.coerce
      .number()
      .int()
      .min(1)
      .max(30 * 86_400, 'at most 30 days')
      .default(86_400)
      .describe('wait: stop waiting (and cancel the other run) after this many seconds'),
  }),
  outputs: (p) => (p.mode === 'start' ? ['started'] : ['done', 'failed']),
  outputsByParam: 'mode',
  execute: async (ctx) => {
    const p = ctx.params;
    const flows = ctx.services.flows;
    if (!flows) throw new NodeError('calling flows is not available in this runtime', { retryable: false });
    if (ctx.resume?.reason === 'time') {
      const runId = (ctx.resume.data as { runId: string }).runId;
      await flows.cancel({ runId });
      return emit('failed', {
        runId,
        flowId: p.flowId,
        status: 'cancelled',
        error: { code: 'timeout', message: `no result after ${p.timeoutSeconds} s; the run was cancelled` },
      });
    }
    if (ctx.resume) return outcome(ctx.resume.payload as unknown as RunOutcomeView);
    const input =
      ctx.run.contactId && p.input.waId === undefined ? { waId: ctx.run.contactId, ...p.input } : p.input;
    const started = await flows.start({
      flowId: p.flowId,
      version: p.version,
      input: input as Json,
      contactId: ctx.run.contactId,
      parentRunId: ctx.run.id,
      parentNodeId: ctx.node.id,
      idempotencyKey: ctx.idempotencyKey,
    });
    if (!started.ok) throw new NodeError(started.message, { retryable: false, code: started.reason });
    if (p.mode === 'start') return emit('started', { runId: started.runId, flowId: started.flowId });
    // A re-run step may find its child already ended: no wait then (its key was delivered before we parked).
    const now = await flows.outcome({ runId: started.runId });
    if (now && FINAL.includes(now.status)) return outcome(now);
    return wait({
      key: runFinishedKey(started.runId),
      until: new Date(ctx.now().getTime() + p.timeoutSeconds * 1000),
      data: { runId: started.runId, flowId: started.flowId },
    });
  },
});

function outcome(run: RunOutcomeView) {
  if (run.status === 'succeeded')
    return emit('done', { runId: run.runId, flowId: run.flowId, vars: run.vars, output: run.output });
  return emit('failed', {
    runId: run.runId,
    flowId: run.flowId,
    status: run.status,
    error: run.error ?? { message: `the run ended ${run.status}` },
  });
}
