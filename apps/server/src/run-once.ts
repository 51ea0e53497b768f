import { parseArgs } from 'node:util';
import { createEngine, type Json, ManualClock } from '@switchboard/engine';
import { MemoryFlowSource, MemoryRunStore } from '@switchboard/engine/testing';
import { validateFlow } from '@switchboard/flow-schema';
import { createRegistry } from '@switchboard/nodes';
import { ExpressionPool } from '@switchboard/sandbox';
import { createLogger } from './logger.js';

/**
 * `switchboard run`: runs a flow once in memory and prints each step. Timed waits (delays, retry
 * backoff) are fast-forwarded on a virtual clock; a wait for an outside event ends the command.
 */
export async function runOnce(args: string[], readJson: (file: string) => unknown): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { event: { type: 'string' }, json: { type: 'boolean' } },
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new (await import('./cli.js')).UsageError('run needs a flow file');
  const file = positionals[0]!;
  const registry = createRegistry();
  const validation = validateFlow(readJson(file), registry);
  if (!validation.ok || !validation.flow) {
    for (const p of validation.problems) console.log(`${file}: ${p.severity} ${p.path}: ${p.message}`);
    return 1;
  }
  const flow = validation.flow;
  const payload = (values.event ? readJson(values.event) : null) as Json;
  const store = new MemoryRunStore();
  const clock = new ManualClock(new Date());
  const started = clock.now().getTime();
  const expressions = new ExpressionPool();
  const engine = createEngine({
    registry,
    store,
    clock,
    expressions,
    flows: new MemoryFlowSource().add(flow),
    logger: createLogger(process.env.LOG_LEVEL ?? 'info', 2),
  });
  const runId = await engine.startRun({ flow, flowVersion: 1, payload });
  let status = await engine.runUntilSettled(runId);
  while (status === 'waiting') {
    const wakeAt = (await store.getRun(runId))?.wakeAt;
    if (!wakeAt) break;
    clock.set(wakeAt);
    status = await engine.runUntilSettled(runId);
  }
  expressions.dispose();
  const run = (await store.getRun(runId))!;
  const steps = await store.getSteps(runId);
  if (values.json) {
    console.log(JSON.stringify({ ...run, steps }, null, 2));
  } else {
    for (const s of steps) {
      const at = `+${formatMs(new Date(s.startedAt).getTime() - started)}`;
      const where = s.ports.length ? ` → ${s.ports.join(', ')}` : '';
      const error = s.error ? `  (${s.error.message})` : '';
      console.log(`#${s.seq} ${at.padEnd(9)} ${s.nodeId} [${s.nodeType}] ${s.status}${where}${error}`);
    }
    console.log(
      `run ${run.status}${run.error ? `: ${run.error.message}` : ''}${run.status === 'waiting' ? ' for an outside event' : ''}`,
    );
  }
  return run.status === 'succeeded' ? 0 : run.status === 'waiting' ? 5 : 1;
}

function formatMs(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)}m`;
  return `${(ms / 3_600_000).toFixed(1)}h`;
}
