import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, expect, it } from 'vitest';
import { BullQueue } from '../src/bull-queue.js';
import { describeWithRedis, TEST_PREFIX, TEST_REDIS_URL } from './redis-harness.js';

// The child process runs the package's sources transpiled (no type check) into node_modules/.cache, so
// `bullmq` and `ioredis` resolve from the package and no build is needed before the tests.
const SRC = fileURLToPath(new URL('../src/', import.meta.url));
const OUT = fileURLToPath(new URL('../node_modules/.cache/queue-test-child/', import.meta.url));
const CHILD = fileURLToPath(new URL('./fixtures/dying-worker.mjs', import.meta.url));

function transpileSources(): void {
  mkdirSync(OUT, { recursive: true });
  for (const name of readdirSync(SRC).filter((n) => n.endsWith('.ts'))) {
    const { outputText } = ts.transpileModule(readFileSync(SRC + name, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    writeFileSync(OUT + name.replace(/\.ts$/, '.js'), outputText);
  }
}

describeWithRedis('BullQueue across processes', () => {
  const queues: BullQueue<unknown>[] = [];
  afterAll(async () => {
    await Promise.all(queues.map((q) => q.close()));
  });

  it("hands a SIGKILLed worker process's job to a worker in another process", async () => {
    transpileSources();
    const options = { url: TEST_REDIS_URL, name: 'killed', prefix: TEST_PREFIX, lockMs: 1000 };
    const queue = new BullQueue<unknown>(options);
    queues.push(queue);
    await queue.enqueue({ key: 'j1', groupKey: 'c1', payload: null });
    await queue.enqueue({ key: 'j2', groupKey: 'c1', payload: null });

    const child = spawn(process.execPath, [CHILD, OUT, JSON.stringify(options)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk) => {
        out += String(chunk);
        if (out.includes('started j1')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`child exited early (${code}): ${out}`)));
      setTimeout(() => reject(new Error(`child did not start the job: ${out}`)), 10_000);
    });
    child.kill('SIGKILL');
    await exited;

    const seen: Array<{ key: string; attempt: number }> = [];
    queue.process(
      async (job) => {
        seen.push({ key: job.key, attempt: job.attempt });
      },
      { concurrency: 2 },
    );
    const until = Date.now() + 15_000;
    while (seen.length < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    // A crash is not a failed attempt: the job is redone as it was.
    expect(seen).toEqual([
      { key: 'j1', attempt: 1 },
      { key: 'j2', attempt: 1 },
    ]);
    expect(await queue.failed()).toEqual([]);
  }, 30_000);
});
