import { describe, expect, it } from 'vitest';
import { registry, runFlow } from '../../test/harness.js';

describe('trigger.manual', () => {
  it('starts a run with the payload as its output and has no inputs', async () => {
    const run = await runFlow([], [], { text: 'hola' });
    expect(run.steps[0]).toMatchObject({ nodeId: 'start', status: 'succeeded', output: { text: 'hola' } });
    expect(registry.get('trigger.manual')?.inputs).toEqual([]);
  });
});
