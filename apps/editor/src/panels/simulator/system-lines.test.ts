import type { RunSummary, StepRecord } from '@switchboard/flow-schema';
import { describe, expect, it } from 'vitest';
import { appStrings } from '../../i18n/app';
import { executionsStrings } from '../../i18n/executions';
import { simulatorStrings } from '../../i18n/simulator';
import { systemLines, type WordingContext, wordLine } from './system-lines';

const en: Record<string, string> = { ...appStrings.en, ...simulatorStrings.en };
const ctx: WordingContext = {
  t: (key, vars) => (en[key] ?? key).replace(/\{(\w+)\}/g, (_, k: string) => String(vars?.[k] ?? `{${k}}`)),
  nodeTitle: (id) =>
    ({ kw: 'Keyword match', hours: 'Business hours', send: 'Send text', ask: 'Ask' })[id] ?? id,
  formatTime: (iso) => iso.slice(11, 16),
};

const run = (extra: Partial<RunSummary> = {}): RunSummary => ({
  id: 'r1',
  flowId: 'f',
  flowVersion: 1,
  status: 'running',
  triggerNodeId: 'trigger',
  contactId: '34600000001',
  error: null,
  createdAt: '2026-01-01T10:00:00.000Z',
  startedAt: '2026-01-01T10:00:00.000Z',
  finishedAt: null,
  wakeAt: null,
  ...extra,
});

let seq = 0;
const step = (nodeId: string, extra: Partial<StepRecord>): StepRecord => {
  seq += 1;
  return {
    id: `s${seq}`,
    runId: 'r1',
    seq,
    nodeId,
    nodeType: 'x',
    attempt: 1,
    status: 'succeeded',
    ports: ['out'],
    input: null,
    output: null,
    error: null,
    startedAt: new Date(Date.UTC(2026, 0, 1, 10, 0, seq)).toISOString(),
    finishedAt: new Date(Date.UTC(2026, 0, 1, 10, 0, seq, 500)).toISOString(),
    durationMs: 500,
    ...extra,
  };
};

const words = (r: RunSummary, steps: StepRecord[]) => systemLines(r, steps).map((l) => wordLine(l, ctx));

describe('system lines', () => {
  it('tells the routing decisions and leaves plain steps out', () => {
    const steps = [
      step('trigger', {}),
      step('kw', { ports: ['match'] }),
      step('hours', { ports: ['closed'] }),
      step('send', {}),
    ];
    expect(words(run(), steps)).toEqual(['Keyword match → matched', 'Business hours → closed']);
  });

  it('tells waits: a reply with its timeout, a plain delay, an event', () => {
    const steps = [
      step('ask', {
        status: 'waiting',
        ports: [],
        output: { waitingUntil: '2026-01-01T11:00:00.000Z', waitingFor: 'reply:sim:34600000001' },
      }),
      step('delay', {
        status: 'waiting',
        ports: [],
        output: { waitingUntil: '2026-01-01T12:30:00.000Z', waitingFor: null },
      }),
      step('wait', {
        status: 'waiting',
        ports: [],
        output: { waitingUntil: null, waitingFor: 'hook:shop:id=1' },
      }),
    ];
    expect(words(run({ status: 'waiting' }), steps)).toEqual([
      'Ask → waiting for a reply until 11:00',
      'delay → waiting until 12:30',
      'wait → waiting for an event',
    ]);
  });

  it('tells failures with their code, and how the run ended', () => {
    const steps = [
      step('send', {
        status: 'failed',
        ports: [],
        error: { message: 'Re-engagement message', code: '131047' },
      }),
    ];
    const lines = words(
      run({
        status: 'failed',
        finishedAt: '2026-01-01T10:00:09.000Z',
        error: { message: 'node "send" failed' },
      }),
      steps,
    );
    expect(lines).toEqual([
      'Send text failed (131047): Re-engagement message',
      'Run failed: node "send" failed',
    ]);
    expect(words(run({ status: 'succeeded', finishedAt: '2026-01-01T10:00:09.000Z' }), [])).toEqual([
      'Run finished',
    ]);
  });

  it('places each line at its step’s end, in step order, whatever order the steps came in', () => {
    const first = step('kw', { ports: ['noMatch'], finishedAt: '2026-01-01T10:00:01.000Z' });
    const second = step('hours', { ports: ['open'], finishedAt: '2026-01-01T10:00:02.000Z' });
    const lines = systemLines(run(), [second, first]);
    expect(lines.map((l) => [l.kind === 'route' && l.nodeId, l.at])).toEqual([
      ['kw', '2026-01-01T10:00:01.000Z'],
      ['hours', '2026-01-01T10:00:02.000Z'],
    ]);
  });
});

describe('i18n files', () => {
  it.each([
    ['simulator', simulatorStrings],
    ['executions', executionsStrings],
  ])('%s has the same keys in English and Spanish', (_, area) => {
    expect(Object.keys(area.es).sort()).toEqual(Object.keys(area.en).sort());
  });
});
