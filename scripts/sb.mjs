#!/usr/bin/env node
// The README's commands, runnable with nothing but Node 20 and npm on a fresh clone:
//   npm start   → install, build, start Switchboard (embedded SQLite) on http://localhost:3000
//   npm test    → install, build, typecheck, lint, then every test; prints "tests: N passed, N failed, N skipped"
//   npm run bench → install, build, run the benchmarks and write docs/benchmarks.md
//   node scripts/sb.mjs bench scale-out → the same, one benchmark alone (docs/benchmarks.md untouched)
// pnpm is fetched by npx at the version pinned in package.json's "packageManager"; no global install.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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

/** Whether something accepts connections where the Postgres tests look (a TCP probe, 2 s at most). */
function postgresAnswers() {
  const url = new URL(env.SWITCHBOARD_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
  const probe = `require('node:net').connect(${Number(url.port || 5432)}, ${JSON.stringify(url.hostname)})
    .on('connect', () => process.exit(0)).on('error', () => process.exit(1)).setTimeout(2000, () => process.exit(1));`;
  return spawnSync(process.execPath, ['-e', probe]).status === 0;
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
  const totals = { passed: 0, failed: 0, skipped: 0 };
  /** One vitest run; its counts are added to the summary (a run that wrote no report counts as failed). */
  const vitest = (title, name, args, extraEnv = {}) => {
    const report = join(out, `${name}.json`);
    step(
      title,
      'vitest',
      ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...args],
      {
        env: { ...env, ...extraEnv },
      },
    );
    if (!existsSync(report)) {
      totals.failed += 1;
      return;
    }
    const r = JSON.parse(readFileSync(report, 'utf8'));
    totals.passed += r.numPassedTests;
    totals.failed +=
      r.numFailedTests + (r.numTotalTestSuites > 0 && r.success === false && r.numFailedTests === 0 ? 1 : 0);
    totals.skipped += r.numPendingTests + r.numTodoTests;
  };
  vitest('tests (vitest)', 'all', []);
  // The server's in-process tests again with the state in Postgres (DATABASE_URL, one schema per
  // server): the same behaviour on both databases. CI requires Postgres; elsewhere it runs when one
  // answers on the test URL.
  const serverTests = readdirSync(join(root, 'apps/server/test'))
    .filter((f) => f.endsWith('.test.ts'))
    .filter((f) => {
      const source = readFileSync(join(root, 'apps/server/test', f), 'utf8');
      // Multi-process tests put themselves on Postgres (freshPostgresEnv): the first pass ran them.
      return (
        /from '\.\/(in-process|wa-helpers|example-helpers)\.js'/.test(source) &&
        !source.includes('freshPostgresEnv')
      );
    })
    .map((f) => `apps/server/test/${f}`);
  if (env.SWITCHBOARD_REQUIRE_SERVICES === '1' || postgresAnswers()) {
    vitest('server tests on Postgres (vitest)', 'postgres', serverTests, {
      SWITCHBOARD_TEST_SERVER_DB: 'postgres',
    });
  } else {
    console.log(
      `\n▶ server tests on Postgres: ${serverTests.length} files not run (no Postgres on the test URL; CI runs them)`,
    );
  }
  const { passed, failed, skipped } = totals;
  rmSync(out, { recursive: true, force: true });
  console.log(`\nchecks: typecheck ${typecheck ? 'ok' : 'FAILED'}, lint ${lint ? 'ok' : 'FAILED'}`);
  console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  process.exit(typecheck && lint && failed === 0 && passed > 0 ? 0 : 1);
} else if (command === 'bench' && process.argv[3]) {
  // One benchmark alone while working on it (prints its table; docs/benchmarks.md stays as it is).
  const only = join(root, 'apps/server/dist/bench', `${process.argv[3]}.js`);
  install();
  build();
  if (!existsSync(only)) {
    console.error(`no benchmark ${process.argv[3]} (apps/server/dist/bench/${process.argv[3]}.js)`);
    process.exit(2);
  }
  must(`benchmark ${process.argv[3]}`, process.execPath, [only]);
} else if (command === 'bench') {
  install();
  build();
  // One benchmark at a time: each compares rows measured in its own run, on a quiet machine.
  must('benchmarks', 'turbo', ['run', 'bench', '--concurrency=1', '--output-logs=full']);
} else {
  console.error('usage: node scripts/sb.mjs start|test|bench [scale-out|analytics|expressions]');
  process.exit(2);
}
