import type { Flow } from '@switchboard/flow-schema';
import type { FlowSource } from '../engine.js';

/** Flow versions held in memory, for tests and the CLI's one-off runs. */
export class MemoryFlowSource implements FlowSource {
  private readonly flows = new Map<string, Flow>();
  add(flow: Flow, version = 1): this {
    this.flows.set(`${flow.id}@${version}`, flow);
    return this;
  }
  async getFlow(flowId: string, version: number): Promise<Flow | undefined> {
    return this.flows.get(`${flowId}@${version}`);
  }
}
