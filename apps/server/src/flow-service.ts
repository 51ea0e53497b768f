import type { FlowRepository } from '@switchboard/db';
import { expressionProblems, type NodeDefinition, type NodeRegistry } from '@switchboard/engine';
import {
  type Flow,
  type FlowNode,
  Flow as FlowShape,
  migrateFlow,
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
      /** The errors of a draft (empty for a valid flow). */
      problems: Problem[];
    }
  | { ok: false; problems: Problem[] }
  | { ok: false; conflict: string }
  | { ok: false; active: string }
  | { ok: false; notFound: string };

export interface SaveOptions {
  /**
   * Store a document with validation errors as a draft (it must still be shaped like a flow). A draft
   * never runs, and an active flow never takes one.
   */
  draft?: boolean;
}

/** A flow's latest version, ready to start runs of (or why it cannot). */
export type LatestFlow =
  | { ok: true; flow: Flow; version: number; node: FlowNode; def: NodeDefinition; active: boolean }
  | { ok: false; notFound: string }
  | { ok: false; problems: Problem[] };

const errorsOf = (problems: Problem[]) => problems.filter((p) => p.severity === 'error');
const warningsOf = (problems: Problem[]) => problems.filter((p) => p.severity !== 'error');

/** Validates flow documents against the node catalog before they are stored. */
export class FlowService {
  constructor(
    readonly repo: FlowRepository,
    private readonly registry: NodeRegistry,
  ) {}

  /**
   * The flow-format checks, plus the syntax of every `{{ }}` expression in the nodes' params (also in a
   * flow with other errors, so an editor sees them all at once).
   */
  validate(doc: unknown): ValidationResult {
    const result = validateFlow(doc, this.registry);
    const syntax = expressionProblems(result.flow?.nodes ?? looseNodes(doc), this.registry);
    if (syntax.length === 0) return result;
    const { flow: _invalid, ...rest } = result;
    return { ...rest, ok: false, problems: [...result.problems, ...syntax] };
  }

  /**
   * Validates a document for saving: a valid flow, or (with `draft`) one that is at least shaped like a
   * flow (it migrates and parses as the `Flow` document, whatever its graph and params say) and holds
   * no inline secret.
   */
  private check(
    doc: unknown,
    draft: boolean,
  ): { ok: true; flow: Flow; valid: boolean; problems: Problem[] } | { ok: false; problems: Problem[] } {
    const result = this.validate(doc);
    if (result.ok && result.flow)
      return { ok: true, flow: result.flow, valid: true, problems: result.problems };
    if (!draft) return { ok: false, problems: result.problems };
    // A secret typed into a node is never stored, not even in a draft: the save is refused, naming where
    // it is, and the editor keeps the unsaved flow so nothing else is lost.
    if (result.problems.some((p) => p.code === 'inline_secret'))
      return { ok: false, problems: result.problems };
    const migrated = migrateFlow(doc);
    const shaped = migrated.ok ? FlowShape.safeParse(migrated.document) : undefined;
    if (!shaped?.success) return { ok: false, problems: result.problems };
    return { ok: true, flow: shaped.data, valid: false, problems: result.problems };
  }

  private stored(flow: Flow, valid: boolean, problems: Problem[]): SaveResult {
    return {
      ok: true,
      ...this.repo.save(flow as Flow & { description: string }, { valid }),
      warnings: warningsOf(problems),
      problems: errorsOf(problems),
    };
  }

  /** Imports a new flow; refuses an id that is in use (use `update` to change a flow). */
  create(doc: unknown, options: SaveOptions = {}): SaveResult {
    const result = this.check(doc, options.draft ?? false);
    if (!result.ok) return { ok: false, problems: result.problems };
    if (this.repo.get(result.flow.id)) {
      return {
        ok: false,
        conflict: `a flow with id "${result.flow.id}" already exists; PUT /api/flows/${result.flow.id} saves a new version`,
      };
    }
    return this.stored(result.flow, result.valid, result.problems);
  }

  /** Saves a new version of an existing flow (no version is added when nothing changed). */
  update(id: string, doc: unknown, options: SaveOptions = {}): SaveResult {
    const current = this.repo.get(id);
    if (!current) return { ok: false, notFound: id };
    const withId = doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? { id, ...doc } : doc;
    const result = this.check(withId, options.draft ?? false);
    if (!result.ok) return { ok: false, problems: result.problems };
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
    if (!result.valid && current.active) {
      return {
        ok: false,
        active: `flow "${id}" is active, and a live flow only takes valid versions: fix the ${errorsOf(result.problems).length} problem(s), or deactivate it to save a draft`,
      };
    }
    return this.stored(result.flow, result.valid, result.problems);
  }

  /**
   * Every problem of a stored version (a draft's errors), validated again with the current catalog.
   * Empty for a valid version.
   */
  problemsOf(id: string, version: number): Problem[] {
    const doc = this.repo.getVersion(id, version);
    return doc ? this.validate(doc).problems : [];
  }

  /**
   * The latest saved version of a flow, active or not, with its trigger: what the simulator runs.
   * Refused with its problems when that version is a draft.
   */
  async latest(id: string): Promise<LatestFlow> {
    return this.latestNow(id);
  }

  /**
   * The latest version's trigger, if that version is valid: where simulated events go (the dispatcher
   * asks for each one, inside its transaction, so it is synchronous).
   */
  latestTrigger(id: string): ActiveTrigger | undefined {
    const latest = this.latestNow(id);
    return latest.ok
      ? { flow: latest.flow, version: latest.version, node: latest.node, def: latest.def }
      : undefined;
  }

  private latestNow(id: string): LatestFlow {
    const record = this.repo.get(id);
    if (!record) return { ok: false, notFound: id };
    const flow = record.valid ? this.flowAt(id, record.version) : undefined;
    const node = flow?.nodes.find((n) => this.registry.get(n.type)?.trigger);
    const def = node && this.registry.get(node.type);
    if (!flow || !node || !def) {
      const problems = errorsOf(this.validate(record.document).problems);
      return { ok: false, problems };
    }
    return { ok: true, flow, version: record.version, node, def, active: record.active };
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
    return this.flowAt(flowId, version);
  }

  /** `getFlow`, synchronously (for callers inside a transaction, such as the dispatcher). */
  flowAt(flowId: string, version: number): Flow | undefined {
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

/** The nodes of a document that is not a valid flow, as far as they can be read (indices kept). */
function looseNodes(doc: unknown): Array<{ type: string; params?: Record<string, unknown> }> {
  const migrated = migrateFlow(doc);
  const nodes = migrated.ok ? (migrated.document as { nodes?: unknown }).nodes : undefined;
  if (!Array.isArray(nodes)) return [];
  return nodes.map((n) => {
    const node = (n ?? {}) as { type?: unknown; params?: unknown };
    const params = node.params;
    return {
      type: typeof node.type === 'string' ? node.type : '',
      ...(params !== null && typeof params === 'object' && !Array.isArray(params)
        ? { params: params as Record<string, unknown> }
        : {}),
    };
  });
}
