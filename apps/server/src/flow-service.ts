import type { FlowRepository } from '@switchboard/db';
import { expressionProblems, type NodeDefinition, type NodeRegistry } from '@switchboard/engine';
import {
  type Flow,
  type FlowNode,
  type Problem,
  type ValidationResult,
  validateFlow,
} from '@switchboard/flow-schema';

export interface ActiveTrigger {
  flow: Flow;
  version: number;
  node: FlowNode;
  def: NodeDefinition;
}

export type SaveResult =
  | {
      ok: true;
      flow: ReturnType<FlowRepository['save']>['flow'];
      created: boolean;
      changed: boolean;
      warnings: Problem[];
    }
  | { ok: false; problems: Problem[] }
  | { ok: false; conflict: string }
  | { ok: false; notFound: string };

/** Validates flow documents against the node catalog before they are stored. */
export class FlowService {
  constructor(
    readonly repo: FlowRepository,
    private readonly registry: NodeRegistry,
  ) {}

  /** The flow-format checks, plus the syntax of every `{{ }}` expression in the nodes' params. */
  validate(doc: unknown): ValidationResult {
    const result = validateFlow(doc, this.registry);
    if (!result.flow) return result;
    const syntax = expressionProblems(result.flow.nodes, this.registry);
    if (syntax.length === 0) return result;
    const { flow: _invalid, ...rest } = result;
    return { ...rest, ok: false, problems: [...result.problems, ...syntax] };
  }

  /** Imports a new flow; refuses an id that is in use (use `update` to change a flow). */
  create(doc: unknown): SaveResult {
    const result = this.validate(doc);
    if (!result.ok || !result.flow) return { ok: false, problems: result.problems };
    if (this.repo.get(result.flow.id)) {
      return {
        ok: false,
        conflict: `a flow with id "${result.flow.id}" already exists; PUT /api/flows/${result.flow.id} saves a new version`,
      };
    }
    return {
      ok: true,
      ...this.repo.save(result.flow as Flow & { description: string }),
      warnings: result.problems,
    };
  }

  /** Saves a new version of an existing flow (no version is added when nothing changed). */
  update(id: string, doc: unknown): SaveResult {
    if (!this.repo.get(id)) return { ok: false, notFound: id };
    const withId = doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? { id, ...doc } : doc;
    const result = this.validate(withId);
    if (!result.ok || !result.flow) return { ok: false, problems: result.problems };
    if (result.flow.id !== id) {
      return {
        ok: false,
        problems: [
          {
            path: '$.id',
            code: 'invalid_value',
            severity: 'error',
            message: `must be "${id}" (the flow being saved)`,
          },
        ],
      };
    }
    return { ok: true, ...this.repo.save(result.flow), warnings: result.problems };
  }

  private triggers: { generation: number; list: ActiveTrigger[] } | undefined;

  /** Active flows whose trigger listens to `eventType`, cached until a flow changes. */
  activeTriggers(eventType: string): ActiveTrigger[] {
    if (this.triggers?.generation !== this.repo.generation) {
      const list: ActiveTrigger[] = [];
      for (const record of this.repo.list({ active: true })) {
        const flow = this.validate(this.repo.getVersion(record.id, record.version)).flow;
        const node = flow?.nodes.find((n) => this.registry.get(n.type)?.trigger);
        const def = node && this.registry.get(node.type);
        if (flow && node && def) list.push({ flow, version: record.version, node, def });
      }
      this.triggers = { generation: this.repo.generation, list };
    }
    return this.triggers.list.filter((t) => t.def.listensTo.includes(eventType));
  }

  /** A stored version as a flow (versions are immutable, so the engine may cache it). */
  private checked: { generation: number; flows: Map<string, Flow | undefined> } | undefined;

  /**
   * A stored version, validated. Versions never change, so each is validated once (the cache starts
   * over when any flow is saved or deleted): starting a run must not re-check the whole document.
   */
  async getFlow(flowId: string, version: number): Promise<Flow | undefined> {
    if (this.checked?.generation !== this.repo.generation)
      this.checked = { generation: this.repo.generation, flows: new Map() };
    const key = `${flowId}@${version}`;
    if (this.checked.flows.has(key)) return this.checked.flows.get(key);
    const doc = this.repo.getVersion(flowId, version);
    const flow = doc ? this.validate(doc).flow : undefined;
    if (this.checked.flows.size >= 1000) this.checked.flows.clear();
    this.checked.flows.set(key, flow);
    return flow;
  }
}
