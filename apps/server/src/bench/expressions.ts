import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { resolveTemplates } from '@switchboard/engine';
import { ExpressionPool, runCode } from '@switchboard/sandbox';

/**
 * Expression evaluations per second: a `{{ path }}` read without any isolate, a real expression in the
 * pooled isolate (scope copied once per step, and once per evaluation), and the baseline of a fresh
 * isolate per evaluation (what running each expression like the Code node would cost).
 */
const SECONDS = Number(process.env.BENCH_EXPRESSION_SECONDS ?? 1);
const EXPRESSION = "vars.total * 1.21 > 100 && contact.tags.includes('vip') ? 'vip' : 'normal'";

const scope = {
  trigger: { type: 'message.received', waId: '34600000001', message: { type: 'text', text: 'Hola' } },
  input: { type: 'text', text: 'Hola' },
  vars: { total: 120, name: 'Ana', items: [1, 2, 3] },
  steps: { ask: { answer: 'sí' }, total: { value: 120 } },
  run: { id: 'run-1', flowId: 'bench', flowVersion: 1, contactId: '34600000001' },
  contact: { waId: '34600000001', name: 'Ana', tags: ['vip'], attributes: { city: 'Madrid' } },
  now: new Date().toISOString(),
  tz: 'Europe/Madrid',
};

export interface ExpressionBenchRow {
  name: string;
  evaluations: number;
  seconds: number;
  perSecond: number;
  microsPerEvaluation: number;
}

/** Calls `once` (which does `batch` evaluations) until SECONDS have passed, after a short warm-up. */
async function measure(name: string, batch: number, once: () => unknown): Promise<ExpressionBenchRow> {
  const warmUntil = performance.now() + 200;
  while (performance.now() < warmUntil) await once();
  let evaluations = 0;
  const start = performance.now();
  const until = start + SECONDS * 1000;
  while (performance.now() < until) {
    await once();
    evaluations += batch;
  }
  const seconds = (performance.now() - start) / 1000;
  return {
    name,
    evaluations,
    seconds,
    perSecond: evaluations / seconds,
    microsPerEvaluation: (seconds * 1e6) / evaluations,
  };
}

export async function runExpressionBench(): Promise<ExpressionBenchRow[]> {
  const pool = new ExpressionPool();
  try {
    const expected = pool.begin(scope).evaluate(EXPRESSION);
    if (expected !== 'vip') throw new Error(`the benchmark expression gave ${JSON.stringify(expected)}`);
    const rows: ExpressionBenchRow[] = [];
    rows.push(
      await measure('`{{ vars.name }}`: a path, read in the engine (no isolate)', 1_000, () => {
        for (let i = 0; i < 1_000; i++) resolveTemplates('{{ vars.name }}', scope);
      }),
    );
    const session = pool.begin(scope);
    rows.push(
      await measure('expression in the pooled isolate, scope already copied in (same step)', 1_000, () => {
        for (let i = 0; i < 1_000; i++) session.evaluate(EXPRESSION);
      }),
    );
    rows.push(
      await measure('expression in the pooled isolate, scope copied in for each (one per step)', 100, () => {
        for (let i = 0; i < 100; i++) pool.begin(scope).evaluate(EXPRESSION);
      }),
    );
    const code = `return ${EXPRESSION.replace(/\b(vars|contact)\./g, 'input.$1.')};`;
    rows.push(
      await measure('baseline: a fresh isolate per evaluation (runCode)', 1, () =>
        runCode({ code, input: scope, timeoutMs: 50, memoryMb: 32 }),
      ),
    );
    return rows;
  } finally {
    pool.dispose();
  }
}

export function expressionTable(rows: ExpressionBenchRow[]): string {
  const fmt = (n: number) => Math.round(n).toLocaleString('en');
  return [
    '| what | evaluations/s | µs / evaluation | evaluations |',
    '| --- | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${fmt(r.perSecond)} | ${r.microsPerEvaluation.toFixed(2)} | ${fmt(r.evaluations)} |`,
    ),
  ].join('\n');
}

/** The docs/benchmarks.md section for these rows. */
export function expressionSection(rows: ExpressionBenchRow[]): string {
  const [path, same, perStep, fresh] = rows;
  const speedup = same && fresh ? Math.round(same.perSecond / fresh.perSecond).toLocaleString('en') : '?';
  return `## Expressions: evaluations per second

\`{{ }}\` params and \`condition.expression\`, in one process on one thread; each row runs for ${SECONDS} s
after a warm-up. A plain path is read by the engine without any isolate. Anything else, here

\`\`\`js
${EXPRESSION}
\`\`\`

runs in the server's pooled isolated-vm isolate (32 MiB, 50 ms per evaluation, built-ins frozen):
compiled once and cached, with the step's scope (trigger, vars, steps, contact…) copied in once per
step and the result copied out as JSON. The baseline creates, uses and disposes a fresh isolate per
evaluation, as the Code node does for each run of its code.

${expressionTable(rows)}

The pool is ${speedup}× faster than a fresh isolate; a step with one expression pays about
${perStep ? perStep.microsPerEvaluation.toFixed(0) : '?'} µs for it (scope copy included), and a path about ${path ? path.microsPerEvaluation.toFixed(2) : '?'} µs.
`;
}

// `node apps/server/dist/bench/expressions.js` runs just this benchmark.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(`\nExpression evaluations per second\n\n${expressionTable(await runExpressionBench())}\n`);
}
