import { z } from 'zod';
import { NodeError } from '../src/errors.js';
import type { Json } from '../src/json.js';
import { defineNode, emit, endRun, wait } from '../src/node-api.js';

const labels = (title: string) => ({
  en: { title, description: `${title} (test)` },
  es: { title, description: `${title} (prueba)` },
});

/** Records every call so tests can count side effects. */
export const calls: Array<{ nodeId: string; key: string; attempt: number; input: Json }> = [];

export const start = defineNode({
  type: 'test.start',
  category: 'trigger',
  labels: labels('Start'),
  params: z.object({}),
  trigger: true,
  execute: (ctx) => emit('out', ctx.input),
});

export const record = defineNode({
  type: 'test.record',
  category: 'data',
  labels: labels('Record'),
  params: z.object({ value: z.unknown().optional() }),
  sideEffect: true,
  execute: (ctx) => {
    calls.push({ nodeId: ctx.node.id, key: ctx.idempotencyKey, attempt: ctx.attempt, input: ctx.input });
    return emit('out', (ctx.params.value as Json) ?? ctx.input);
  },
});

export const branch = defineNode({
  type: 'test.branch',
  category: 'condition',
  labels: labels('Branch'),
  params: z.object({ when: z.unknown() }),
  outputs: ['true', 'false'],
  execute: (ctx) => emit(ctx.params.when ? 'true' : 'false', ctx.input),
});

/** Fails the first `failTimes` attempts. */
export const flaky = defineNode({
  type: 'test.flaky',
  category: 'data',
  labels: labels('Flaky'),
  params: z.object({ failTimes: z.number(), retryable: z.boolean().default(true) }),
  execute: (ctx) => {
    calls.push({ nodeId: ctx.node.id, key: ctx.idempotencyKey, attempt: ctx.attempt, input: ctx.input });
    if (ctx.attempt <= ctx.params.failTimes) {
      throw new NodeError(`failure ${ctx.attempt}`, { code: 'flaky', retryable: ctx.params.retryable });
    }
    return emit('out', { ok: ctx.attempt });
  },
});

export const slow = defineNode({
  type: 'test.slow',
  category: 'data',
  labels: labels('Slow'),
  params: z.object({ ms: z.number() }),
  execute: (ctx) =>
    new Promise((resolve, reject) => {
      const t = setTimeout(() => resolve(emit('out', ctx.input)), ctx.params.ms);
      ctx.signal.addEventListener('abort', () => {
        clearTimeout(t);
        reject(ctx.signal.reason);
      });
    }),
});

export const delay = defineNode({
  type: 'test.delay',
  category: 'flow',
  labels: labels('Delay'),
  params: z.object({ ms: z.number() }),
  pausesRun: true,
  execute: (ctx) =>
    ctx.resume ? emit('out', ctx.input) : wait({ until: new Date(ctx.now().getTime() + ctx.params.ms) }),
});

export const waitKey = defineNode({
  type: 'test.waitKey',
  category: 'flow',
  labels: labels('Wait for key'),
  params: z.object({ key: z.string(), timeoutMs: z.number().optional() }),
  outputs: ['replied', 'timeout'],
  pausesRun: true,
  execute: (ctx) => {
    if (ctx.resume) {
      return ctx.resume.reason === 'key'
        ? emit('replied', ctx.resume.payload)
        : emit('timeout', ctx.resume.data);
    }
    const until = ctx.params.timeoutMs ? new Date(ctx.now().getTime() + ctx.params.timeoutMs) : null;
    return wait({ key: ctx.params.key, until, data: { asked: ctx.params.key } });
  },
});

export const join = defineNode({
  type: 'test.join',
  category: 'flow',
  labels: labels('Join'),
  params: z.object({}),
  join: true,
  execute: (ctx) => emit('out', ctx.input),
});

export const counter = defineNode({
  type: 'test.counter',
  category: 'data',
  labels: labels('Counter'),
  params: z.object({ name: z.string(), limit: z.number() }),
  outputs: ['again', 'done'],
  execute: (ctx) => {
    const n = ((ctx.vars[ctx.params.name] as number | undefined) ?? 0) + 1;
    ctx.setVar(ctx.params.name, n);
    return emit(n < ctx.params.limit ? 'again' : 'done', n);
  },
});

/** Ends the whole run (like flow.end). */
export const end = defineNode({
  type: 'test.end',
  category: 'flow',
  labels: labels('End'),
  params: z.object({
    status: z.enum(['succeeded', 'failed']).default('succeeded'),
    message: z.string().optional(),
  }),
  outputs: [],
  execute: (ctx) => endRun(ctx.params.status, ctx.params.message),
});

export const testNodes = [start, record, branch, flaky, slow, delay, waitKey, join, counter, end];
