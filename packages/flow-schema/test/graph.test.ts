import { describe, expect, it } from 'vitest';
import { adjacency, findCycles, reachableFrom, upstreamNodeIds } from '../src/graph.js';

const flow = (ids: string[], pairs: Array<[string, string]>) => ({
  nodes: ids.map((id) => ({ id })),
  edges: pairs.map(([source, target]) => ({ source, target })),
});

describe('graph helpers', () => {
  it('upstreamNodeIds lists what can run before a node, nearest first, for {{ }} autocomplete', () => {
    // start → ask → (yes | no) → thanks; "other" is not connected; thanks → log after it
    const f = flow(
      ['start', 'ask', 'no', 'yes', 'thanks', 'log', 'other'],
      [
        ['start', 'ask'],
        ['ask', 'yes'],
        ['ask', 'no'],
        ['yes', 'thanks'],
        ['no', 'thanks'],
        ['thanks', 'log'],
      ],
    );
    // Same distance: in the order of flow.nodes (no before yes).
    expect(upstreamNodeIds(f, 'thanks')).toEqual(['no', 'yes', 'ask', 'start']);
    expect(upstreamNodeIds(f, 'start')).toEqual([]);
    expect(upstreamNodeIds(f, 'ghost')).toEqual([]);
  });

  it('upstreamNodeIds follows loops without listing the node itself', () => {
    const f = flow(
      ['start', 'ask', 'wait'],
      [
        ['start', 'ask'],
        ['ask', 'wait'],
        ['wait', 'ask'],
      ],
    );
    expect(upstreamNodeIds(f, 'ask')).toEqual(['start', 'wait']);
  });

  it('finds cycles and reachable nodes', () => {
    const adj = adjacency(
      ['a', 'b', 'c', 'd'],
      [
        { source: 'a', target: 'b' },
        { source: 'b', target: 'c' },
        { source: 'c', target: 'b' },
      ],
    );
    expect(findCycles(adj)).toEqual([['b', 'c']]);
    expect([...reachableFrom(['a'], adj)].sort()).toEqual(['a', 'b', 'c']);
  });
});
