#!/usr/bin/env node
// The README's commands, runnable with nothing but Node 20 and npm on a fresh clone:
//   npm start   → install, build, start Switchboard (embedded SQLite) on http://localhost:3000
//   npm test    → install, build, typecheck, lint, then every test; prints "tests: N passed, N failed, N skipped"
//   npm run bench → install, build, run the benchmarks and write docs/benchmarks.md
// pnpm is fetched by npx at the version pinned in package.json's "packageManager"; no global install.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const pnpmVersion = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];
const env = {
  ...process.env,
  PATH: `${join(root, 'node_modules', '.bin')}${delimiter}${process.env.PATH}`,
  TURBO_TELEMETRY_DISABLED: '1',
  DO_NOT_TRACK: '1',
};
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

function step(title, command, args, options = {}) {
  console.log(`\n▶ ${title}`);
  const r = spawnSync(command, args, { cwd: root, env, stdio: 'inherit', ...options });
  return r.status === 0;
}

function must(title, command, args) {
  if (!step(title, command, args)) {
    console.error(`\n✖ ${title} failed`);
    process.exit(1);
  }
}

function install() {
  // --frozen-lockfile: install exactly what the lockfile says (CI and fresh clones alike).
  must('install dependencies (pnpm via npx)', npx, [
    '-y',
    `pnpm@${pnpmVersion}`,
    'install',
    '--frozen-lockfile',
    '--reporter=append-only',
  ]);
}

function build() {
  must('build', 'turbo', ['run', 'build', '--output-logs=errors-only']);
}

const command = process.argv[2];
if (command === 'start') {
  install();
  build();
  console.log('\n▶ start Switchboard');
  const child = spawn(process.execPath, [join(root, 'apps/server/bin/switchboard.mjs'), 'start'], {
    cwd: root,
    env,
    stdio: 'inherit',
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else if (command === 'test') {
  install();
  build();
  const typecheck =
    step('typecheck', 'turbo', ['run', 'typecheck', '--output-logs=errors-only']) &&
    step('typecheck (tests, workflows)', 'tsc', ['-p', 'tsconfig.json']);
  const lint =
    step('lint and format check (biome)', 'biome', ['check', '.']) &&
    // Promises created and dropped (a repository call not awaited): biome cannot see through the
    // repositories' types, TypeScript's checker can.
    step('dropped promises', process.execPath, [
      join(root, 'scripts/floating-promises.mjs'),
      'apps/server/tsconfig.json',
      'packages/db/tsconfig.json',
      'packages/engine/tsconfig.json',
    ]);
  const out = mkdtempSync(join(tmpdir(), 'sb-vitest-'));
  const report = join(out, 'report.json');
  step('tests (vitest)', 'vitest', [
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
  ]);
  let passed = 0;
  let failed = 1;
  let skipped = 0;
  if (existsSync(report)) {
    const r = JSON.parse(readFileSync(report, 'utf8'));
    passed = r.numPassedTests;
    failed =
      r.numFailedTests + (r.numTotalTestSuites > 0 && r.success === false && r.numFailedTests === 0 ? 1 : 0);
    skipped = r.numPendingTests + r.numTodoTests;
  }
  rmSync(out, { recursive: true, force: true });
  console.log(`\nchecks: typecheck ${typecheck ? 'ok' : 'FAILED'}, lint ${lint ? 'ok' : 'FAILED'}`);
  console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  process.exit(typecheck && lint && failed === 0 && passed > 0 ? 0 : 1);
} else if (command === 'bench') {
  install();
  build();
  // One benchmark at a time: each compares rows measured in its own run, on a quiet machine.
  must('benchmarks', 'turbo', ['run', 'bench', '--concurrency=1', '--output-logs=full']);
} else {
  console.error('usage: node scripts/sb.mjs start|test|bench');
  process.exit(2);
}
