import { catalogOf, type NodeCatalog, type NodeCatalogEntry } from '@switchboard/flow-schema';
import type { NodeDefinition } from './node-api.js';

/** The node types a host offers, passed in explicitly (nothing scans the filesystem). */
export class NodeRegistry implements NodeCatalog {
  private readonly byType: Map<string, NodeDefinition>;
  private entriesCache?: NodeCatalogEntry[];

  constructor(definitions: readonly NodeDefinition[]) {
    catalogOf(definitions); // refuses duplicate type ids
    this.byType = new Map(definitions.map((d) => [d.type, d]));
  }

  get(type: string): NodeDefinition | undefined {
    return this.byType.get(type);
  }

  types(): readonly string[] {
    return [...this.byType.keys()];
  }

  /** The catalog as JSON, for `GET /api/node-types`. */
  entries(): NodeCatalogEntry[] {
    this.entriesCache ??= [...this.byType.values()].map((d) => d.toCatalogEntry());
    return this.entriesCache;
  }
}
