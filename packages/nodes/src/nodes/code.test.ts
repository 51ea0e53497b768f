import { describe, expect, it } from 'vitest';
import { runFlow } from '../../test/harness.js';
import type { CodeService } from '../services.js';

// The node's contract with a sandbox; the isolated-vm runner itself is tested in packages/sandbox and,
// wired into the server, in apps/server/test/code-node.test.ts.
const evalSandbox: CodeService = {
  async run({ code, input }) {
    return new Function('input', `return (async () => { ${code} })()`)(input);
  },
};

describe('data.code', () => {
  it('gives the code the trigger, input and variables, and sends out what it returns', async () => {
    const run = await runFlow(
      [
        {
          id: 'calc',
          type: 'data.code',
          params: {
            code: 'return { total: input.trigger.items.reduce((a, i) => a + i.qty * i.price, 0), note: "{{ not a template }}" };',
          },
        },
      ],
      ['start->calc'],
      {
        items: [
          { qty: 2, price: 10 },
          { qty: 1, price: 5.5 },
        ],
      },
      { services: { code: evalSandbox } },
    );
    expect(run.steps.at(-1)?.output).toEqual({ total: 25.5, note: '{{ not a template }}' });
  });

  it('fails the step without retrying when the code throws, naming the message', async () => {
    const run = await runFlow(
      [{ id: 'calc', type: 'data.code', params: { code: 'throw new Error("sin stock")' } }],
      ['start->calc'],
      null,
      { services: { code: evalSandbox } },
    );
    expect(run.status).toBe('failed');
    expect(run.steps.at(-1)?.error).toMatchObject({
      code: 'code_error',
      retryable: false,
      message: 'code failed: sin stock',
    });
  });
});
