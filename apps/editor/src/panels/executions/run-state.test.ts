import type { StepRecord } from '@switchboard/flow-schema';
import { describe, expect, it } from 'vitest';
import { stepsOfNode, stepsToRunState } from './run-state';

let n = 0;
function step(
  nodeId: string,
  seq: number,
  status: StepRecord['status'],
  ports: string[],
  attempt = 1,
): StepRecord {
  n += 1;
  return {
    id: `s${n}`,
    runId: 'r1',
    seq,
    nodeId,
    nodeType: 'x',
    attempt,
    status,
    ports,
    input: null,
    output: null,
    error: null,
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: null,
    durationMs: null,
  };
}

describe('stepsToRunState', () => {
  it('paints each reached node with its status, ports and first-reached order', () => {
    const state = stepsToRunState([
      step('keyword', 2, 'succeeded', ['match']),
      step('trigger', 1, 'succeeded', ['out']),
      step('send', 3, 'running', []),
    ]);
    expect([...state]).toEqual([
      ['trigger', { status: 'succeeded', ports: ['out'], order: 1 }],
      ['keyword', { status: 'succeeded', ports: ['match'], order: 2 }],
      ['send', { status: 'running', ports: [], order: 3 }],
    ]);
  });

  it('keeps the latest status of a resumed or retried node and every port it took', () => {
    const state = stepsToRunState([
      step('ask', 1, 'waiting', []),
      step('ask', 2, 'succeeded', ['replied']),
      step('send', 3, 'failed', [], 1),
      step('send', 4, 'succeeded', ['out'], 2),
      step('ask', 5, 'succeeded', ['timeout']),
    ]);
    expect(state.get('ask')).toEqual({ status: 'succeeded', ports: ['replied', 'timeout'], order: 1 });
    expect(state.get('send')).toEqual({ status: 'succeeded', ports: ['out'], order: 2 });
  });

  it('is empty for a run with no steps yet', () => {
    expect(stepsToRunState([]).size).toBe(0);
  });
});

describe('stepsOfNode', () => {
  it('lists one node’s attempts in run order', () => {
    const steps = [
      step('a', 3, 'succeeded', ['out'], 2),
      step('b', 2, 'succeeded', []),
      step('a', 1, 'failed', []),
    ];
    expect(stepsOfNode(steps, 'a').map((s) => s.seq)).toEqual([1, 3]);
  });
});
