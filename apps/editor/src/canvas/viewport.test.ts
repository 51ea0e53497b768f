import { describe, expect, it } from 'vitest';
import { firstViewport, fitBoxes, MAX_FIRST_ZOOM, MIN_FIRST_ZOOM } from './viewport';

const node = (id: string, x: number, y: number) => ({ id, type: 't', position: { x, y }, params: {} });
const chain = (n: number) => ({
  nodes: Array.from({ length: n }, (_, i) => node(`n${i}`, i * 300, 0)),
  edges: Array.from({ length: n - 1 }, (_, i) => ({
    id: `e${i}`,
    source: `n${i}`,
    sourcePort: 'out',
    target: `n${i + 1}`,
    targetPort: 'in',
  })),
});

describe('the viewport a flow opens with', () => {
  it('centres a small flow at no more than 100 %', () => {
    const v = firstViewport(chain(2), 1000, 600);
    expect(v.zoom).toBe(MAX_FIRST_ZOOM);
    // Two nodes span 0…520 px: centred, the middle (260) lands in the middle of the canvas (500).
    expect(v.x + 260 * v.zoom).toBeCloseTo(500);
  });

  it('zooms out to fit a medium flow', () => {
    const v = firstViewport(chain(10), 1400, 600);
    expect(v.zoom).toBeLessThan(MAX_FIRST_ZOOM);
    expect(v.zoom).toBeGreaterThanOrEqual(MIN_FIRST_ZOOM);
    expect(v.x + 0 * v.zoom).toBeGreaterThan(0);
    expect(v.x + (9 * 300 + 220) * v.zoom).toBeLessThan(1400);
  });

  it('opens a 300-node flow on its start, readable, instead of fitting all of it', () => {
    const flow = chain(300);
    flow.nodes.reverse(); // the trigger is found by the edges, not by its place in the list
    const v = firstViewport(flow, 1000, 600);
    expect(v.zoom).toBe(MIN_FIRST_ZOOM);
    // The first node (x = 0) is at the left edge, with the padding.
    expect(v.x).toBe(40);
  });

  it('copes with an empty flow and an unmeasured canvas', () => {
    expect(firstViewport({ nodes: [], edges: [] }, 1000, 600)).toEqual({ x: 0, y: 0, zoom: 1 });
    expect(firstViewport(chain(3), 0, 0).zoom).toBe(1);
  });
});

describe('zoom to fit', () => {
  const boxes = chain(300).nodes.map((n) => ({ ...n.position, width: 220, height: 80 }));

  it('shows every node of a long chain, drawn or not, centred', () => {
    const v = fitBoxes(boxes.slice(0, 100), 1440, 900, { minZoom: 0.02 })!;
    const left = v.x;
    const right = v.x + (99 * 300 + 220) * v.zoom;
    expect(left).toBeGreaterThanOrEqual(40 - 1e-9);
    expect(right).toBeLessThanOrEqual(1440 - 40 + 1e-9);
    expect((left + right) / 2).toBeCloseTo(720);
    expect(v.y + 40 * v.zoom).toBeCloseTo(450);
  });

  it('never zooms past the limits it is given', () => {
    expect(fitBoxes(boxes.slice(0, 1), 1440, 900, { maxZoom: 1.2 })!.zoom).toBe(1.2);
    expect(fitBoxes(boxes, 1440, 900, { minZoom: 0.5 })!.zoom).toBe(0.5);
  });

  it('has nothing to fit on an empty flow or an unmeasured canvas', () => {
    expect(fitBoxes([], 1440, 900)).toBeUndefined();
    expect(fitBoxes(boxes, 0, 0)).toBeUndefined();
  });
});
