import type { AsyncOf, FlowRecord, FlowRepository } from '@switchboard/db';
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
      flow: FlowRecord;
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
  private writes = 0;

  constructor(
    readonly repo: AsyncOf<FlowRepository>,
    private readonly registry: NodeRegistry,
    /**
     * On a database other processes write too (Postgres), how often `sync` looks for their flow writes
     * (ms); 0 when this process is the only writer (SQLite).
     */
    private readonly sharedCheckMs = 0,
  ) {}

  /**
   * Bumped by every write made through the service, and by `sync` when another process wrote: what the
   * caches (here and the callers') key on.
   */
  get generation(): number {
    return this.writes;
  }

  private othersCheckedAt = Number.NEGATIVE_INFINITY;
  private othersMarker: string | undefined;

  /**
   * Catches up with flow writes made by other processes (at most once per `sharedCheckMs`): a flow
   * activated through another web process reaches this one's triggers and schedules that much later.
   */
  async sync(): Promise<void> {
    if (this.sharedCheckMs <= 0 || Date.now() - this.othersCheckedAt < this.sharedCheckMs) return;
    this.othersCheckedAt = Date.now();
    const marker = await this.repo.changeMarker();
    if (this.othersMarker !== undefined && marker !== this.othersMarker) this.writes++;
    this.othersMarker = marker;
  }

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

  private async stored(flow: Flow, valid: boolean, problems: Problem[]): Promise<SaveResult> {
    const saved = await this.write(() => this.repo.save(flow as Flow & { description: string }, { valid }));
    return {
      ok: true,
      ...saved,
      warnings: warningsOf(problems),
      problems: errorsOf(problems),
    };
  }

  /** Imports a new flow; refuses an id that is in use (use `update` to change a flow). */
  async create(doc: unknown, options: SaveOptions = {}): Promise<SaveResult> {
    const result = this.check(doc, options.draft ?? false);
    if (!result.ok) return { ok: false, problems: result.problems };
    if (await this.repo.get(result.flow.id)) {
      return {
        ok: false,
        conflict: `a flow with id "${result.flow.id}" already exists; PUT /api/flows/${result.flow.id} saves a new version`,
      };
    }
    return this.stored(result.flow, result.valid, result.problems);
  }

  /** Saves a new version of an existing flow (no version is added when nothing changed). */
  async update(id: string, doc: unknown, options: SaveOptions = {}): Promise<SaveResult> {
    const current = await this.repo.get(id);
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
  async problemsOf(id: string, version: number): Promise<Problem[]> {
    const doc = await this.repo.getVersion(id, version);
    return doc ? this.validate(doc).problems : [];
  }

  /**
   * The latest saved version of a flow, active or not, with its trigger: what the simulator runs.
   * Refused with its problems when that version is a draft.
   */
  async latest(id: string): Promise<LatestFlow> {
    const record = await this.repo.get(id);
    if (!record) return { ok: false, notFound: id };
    const flow = record.valid ? await this.getFlow(id, record.version) : undefined;
    const node = flow?.nodes.find((n) => this.registry.get(n.type)?.trigger);
    const def = node && this.registry.get(node.type);
    if (!flow || !node || !def) {
      const problems = errorsOf(this.validate(record.document).problems);
      return { ok: false, problems };
    }
    return { ok: true, flow, version: record.version, node, def, active: record.active };
  }

  /** The latest version's trigger, if that version is valid: where simulated events go. */
  async latestTrigger(id: string): Promise<ActiveTrigger | undefined> {
    const latest = await this.latest(id);
    return latest.ok
      ? { flow: latest.flow, version: latest.version, node: latest.node, def: latest.def }
      : undefined;
  }

  /** Activates or deactivates a flow; undefined when there is no such flow. */
  setActive(id: string, active: boolean): Promise<FlowRecord | undefined> {
    return this.write(() => this.repo.setActive(id, active));
  }

  /** Deletes a flow (its unfinished runs are cancelled); false when there is no such flow. */
  remove(id: string): Promise<boolean> {
    return this.write(() => this.repo.delete(id));
  }

  /**
   * A write, then a new generation (also when it failed: it may have written something). Counted once it
   * has settled, so nothing read before it lands in the caches of the generation after it.
   */
  private async write<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } finally {
      this.writes++;
    }
  }

  private triggers: { generation: number; list: ActiveTrigger[] } | undefined;

  /** Active flows whose trigger listens to `eventType`, cached until a flow changes. */
  async activeTriggers(eventType: string): Promise<ActiveTrigger[]> {
    return (await this.allTriggers()).filter((t) => t.def.listensTo.includes(eventType));
  }

  private async allTriggers(): Promise<ActiveTrigger[]> {
    await this.sync();
    if (this.triggers?.generation === this.writes) return this.triggers.list;
    const generation = this.writes;
    const list: ActiveTrigger[] = [];
    for (const record of await this.repo.list({ active: true })) {
      const flow = this.validate(await this.repo.getVersion(record.id, record.version)).flow;
      const node = flow?.nodes.find((n) => this.registry.get(n.type)?.trigger);
      const def = node && this.registry.get(node.type);
      if (flow && node && def) list.push({ flow, version: record.version, node, def });
    }
    // A write made while this read was under way leaves it stale: cache it only if none was.
    if (generation === this.writes) this.triggers = { generation, list };
    return list;
  }

  /** A stored version as a flow (versions are immutable, so the engine may cache it). */
  private checked: { generation: number; flows: Map<string, Flow | undefined> } | undefined;

  /**
   * A stored version, validated. Versions never change, so each is validated once (the cache starts
   * over when any flow is saved or deleted): starting a run must not re-check the whole document.
   */
  async getFlow(flowId: string, version: number): Promise<Flow | undefined> {
    if (this.checked?.generation !== this.writes)
      this.checked = { generation: this.writes, flows: new Map() };
    const checked = this.checked;
    const key = `${flowId}@${version}`;
    if (checked.flows.has(key)) return checked.flows.get(key);
    const doc = await this.repo.getVersion(flowId, version);
    const flow = doc ? this.validate(doc).flow : undefined;
    // Only into the cache of the generation the read began in (a newer one starts over without it).
    if (checked.flows.size >= 1000) checked.flows.clear();
    checked.flows.set(key, flow);
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
