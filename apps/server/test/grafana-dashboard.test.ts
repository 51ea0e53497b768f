import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startInProcess } from './in-process.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const FILE = resolve(ROOT, 'deploy/grafana/switchboard-dashboard.json');

/** Every PromQL expression of the dashboard's panels. */
function expressions(dashboard: { panels: Array<{ targets: Array<{ expr: string }> }> }): string[] {
  return dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr));
}

describe('the Grafana dashboard', () => {
  const text = readFileSync(FILE, 'utf8');
  const dashboard = JSON.parse(text);

  it('queries only metrics that /metrics exposes', async () => {
    const s = await startInProcess({ SWITCHBOARD_SEED_EXAMPLES: 'false' });
    try {
      const metrics = await (await fetch(`${s.base}/metrics`)).text();
      const declared = new Map(
        [...metrics.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1]!, m[2]!] as const),
      );
      const used = new Set(expressions(dashboard).flatMap((e) => e.match(/\bswitchboard_[a-z_]+/g) ?? []));
      expect(used.size).toBeGreaterThan(10);
      const missing = [...used].filter((name) => {
        if (declared.has(name)) return false;
        // A histogram's series are its family's name plus _bucket, _sum or _count.
        const family = name.replace(/_(bucket|sum|count)$/, '');
        return declared.get(family) !== 'histogram';
      });
      expect(missing).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('is the dashboard docs/monitoring.md ships', () => {
    const doc = readFileSync(resolve(ROOT, 'docs/monitoring.md'), 'utf8');
    const block = /```json\n([\s\S]*?)\n```/.exec(doc.slice(doc.indexOf('## The Grafana dashboard')));
    expect(block, 'a json block under "## The Grafana dashboard"').not.toBeNull();
    expect(JSON.parse(block![1]!)).toEqual(dashboard);
  });
});
