import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The arrows between packages (docs/architecture.md). A package may depend only on what is listed here;
// pnpm's strict linking makes undeclared imports fail, and this test keeps the declarations honest.
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ALLOWED: Record<string, { workspace: string[]; forbiddenImports: RegExp[] }> = {
  'packages/flow-schema': {
    workspace: [],
    forbiddenImports: [/^node:/, /^react/, /^express/, /^@switchboard\//],
  },
  'packages/engine': {
    workspace: ['@switchboard/flow-schema'],
    forbiddenImports: [
      /^node:/,
      /^express/,
      /^better-sqlite3/,
      /^drizzle/,
      /^isolated-vm/,
      /^@switchboard\/(db|nodes|sandbox|server)/,
    ],
  },
  'packages/nodes': {
    workspace: ['@switchboard/engine', '@switchboard/flow-schema'],
    forbiddenImports: [
      /^express/,
      /^better-sqlite3/,
      /^drizzle/,
      /^isolated-vm/,
      /^@switchboard\/(db|server|sandbox)/,
    ],
  },
  'packages/db': {
    workspace: ['@switchboard/flow-schema'],
    forbiddenImports: [/^express/, /^@switchboard\/(engine|nodes|server)/],
  },
  'packages/sandbox': { workspace: [], forbiddenImports: [/^@switchboard\//] },
  // Queues and rate limits (in-process and BullMQ/Redis); self-contained, nothing from the workspace.
  'packages/queue': {
    workspace: [],
    forbiddenImports: [/^express/, /^better-sqlite3/, /^drizzle/, /^pg$/, /^@switchboard\//],
  },
  'packages/whatsapp': {
    workspace: ['@switchboard/flow-schema'],
    forbiddenImports: [
      /^express/,
      /^better-sqlite3/,
      /^drizzle/,
      /^@switchboard\/(engine|nodes|db|server|sandbox)/,
    ],
  },
  'apps/server': {
    workspace: [
      '@switchboard/db',
      '@switchboard/engine',
      '@switchboard/flow-schema',
      '@switchboard/nodes',
      '@switchboard/queue',
      '@switchboard/sandbox',
      '@switchboard/whatsapp',
    ],
    forbiddenImports: [/^react/],
  },
  // The browser editor talks to the server over HTTP only; it shares nothing but the flow format.
  'apps/editor': {
    workspace: ['@switchboard/flow-schema'],
    forbiddenImports: [
      /^node:/,
      /^express/,
      /^better-sqlite3/,
      /^drizzle/,
      /^isolated-vm/,
      /^@switchboard\/(engine|nodes|db|server|sandbox|whatsapp)/,
    ],
  },
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('package boundaries', () => {
  const packages = ['apps', 'packages'].flatMap((group) =>
    readdirSync(join(ROOT, group)).map((name) => `${group}/${name}`),
  );

  it('every package has rules and a README saying what it owns', () => {
    for (const pkg of packages) {
      expect(ALLOWED, `${pkg} has no entry in test/architecture.test.ts`).toHaveProperty([pkg]);
      expect(readFileSync(join(ROOT, pkg, 'README.md'), 'utf8')).toMatch(/must not/i);
    }
  });

  for (const [pkg, rules] of Object.entries(ALLOWED)) {
    it(`${pkg} depends only on what it may`, () => {
      const manifest = JSON.parse(readFileSync(join(ROOT, pkg, 'package.json'), 'utf8'));
      const workspaceDeps = Object.keys(manifest.dependencies ?? {}).filter((d) =>
        d.startsWith('@switchboard/'),
      );
      expect(workspaceDeps.filter((d) => !rules.workspace.includes(d))).toEqual([]);
      const offending: string[] = [];
      for (const file of sourceFiles(join(ROOT, pkg, 'src'))) {
        for (const m of readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*['"]([^'"]+)['"]/g)) {
          if (rules.forbiddenImports.some((re) => re.test(m[1]!)))
            offending.push(`${file.slice(ROOT.length)} imports ${m[1]}`);
        }
      }
      expect(offending).toEqual([]);
    });
  }
});
