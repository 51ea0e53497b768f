#!/usr/bin/env node
// `npm run bench` (turbo runs this package's `bench`): how long the editor takes to open a 300-node flow
// and answer a click, in headless Debian Chromium against the built server, next to a 1-node flow opened
// the same way in the same run (the baseline: the page, the bundle and the API calls without the graph).
// Writes its section of docs/benchmarks.md (between the editor-bench markers) and prints the table.
//
// "Interactive" means: from the start of navigation, the editor has loaded the catalog and the flow,
// React Flow has drawn and measured every node in view, and a click on a node has selected it and shown
// its settings in the inspector. Each sample uses a fresh browser profile (cold HTTP cache), as a first
// visit does. Env: BENCH_EDITOR_SAMPLES (default 7), BENCH_EDITOR_NODES (default 300).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const KEY = 'bench-key-0123456789abcdef';
const SAMPLES = Number(process.env.BENCH_EDITOR_SAMPLES ?? 7);
const NODES = Number(process.env.BENCH_EDITOR_NODES ?? 300);
const TARGET_MS = 1500;
const DOC = join(ROOT, 'docs/benchmarks.md');
const START = '<!-- editor-bench:start -->';
const END = '<!-- editor-bench:end -->';

if (!existsSync(CHROMIUM)) {
  console.error(
    `${CHROMIUM} not found: install Debian's Chromium (apt-get install chromium) to run this benchmark`,
  );
  process.exit(1);
}
for (const file of ['apps/server/dist/cli.js', 'apps/editor/dist/index.html']) {
  if (!existsSync(join(ROOT, file))) {
    console.error(`${file} is missing: build first (npm run bench builds)`);
    process.exit(1);
  }
}

/**
 * A flow like a big real one: a WhatsApp trigger, then rows of keyword conditions whose `match` sends a
 * text and whose `noMatch` goes to the next condition, with a set-variable and a send-buttons node here
 * and there, laid out in a grid (as the editor's auto-layout would leave it).
 */
function bigFlow(id, size) {
  const nodes = [
    {
      id: 'n0',
      type: 'trigger.whatsappMessage',
      position: { x: 0, y: 0 },
      params: { messageTypes: ['text'] },
    },
  ];
  const edges = [];
  let previous = { id: 'n0', port: 'out' };
  let i = 1;
  const add = (type, params) => {
    const nodeId = `n${i}`;
    const col = Math.floor(i / 2);
    nodes.push({ id: nodeId, type, position: { x: col * 260, y: (i % 2) * 180 + (col % 3) * 40 }, params });
    i++;
    return nodeId;
  };
  const link = (source, sourcePort, target) =>
    edges.push({ id: `e${edges.length}`, source, sourcePort, target, targetPort: 'in' });
  while (i < size) {
    const condition = add('condition.keyword', { keywords: [`palabra${i}`, `word${i}`] });
    link(previous.id, previous.port, condition);
    if (i >= size) break;
    const kind = i % 5;
    const reply =
      kind === 0
        ? add('whatsapp.sendButtons', {
            body: `Opciones ${i}`,
            buttons: [
              { id: `a${i}`, title: 'Ventas' },
              { id: `b${i}`, title: 'Soporte' },
            ],
          })
        : kind === 1
          ? add('data.setVariable', { assignments: [{ name: `v${i}`, value: '{{ trigger.message.text }}' }] })
          : add('whatsapp.sendText', { text: `Respuesta ${i} para {{ trigger.profileName }}` });
    link(condition, 'match', reply);
    previous = { id: condition, port: 'noMatch' };
  }
  return { schemaVersion: 1, id, name: `${size} nodes`, nodes: nodes.slice(0, size), edges };
}

async function startServer() {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-bench-editor-'));
  const proc = spawn(process.execPath, [join(ROOT, 'apps/server/bin/switchboard.mjs'), 'start'], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      SWITCHBOARD_DATA_DIR: dataDir,
      SWITCHBOARD_API_KEY: KEY,
      SWITCHBOARD_SEED_EXAMPLES: 'false',
      WHATSAPP_MODE: 'sandbox',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout.on('data', (d) => {
    out += d;
  });
  proc.stderr.on('data', (d) => {
    out += d;
  });
  const port = await new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /"port":(\d+)/.exec(out);
      if (m) {
        clearInterval(timer);
        resolve(Number(m[1]));
      }
    }, 10);
    proc.once('exit', () => {
      clearInterval(timer);
      reject(new Error(`server exited:\n${out}`));
    });
  });
  const base = `http://127.0.0.1:${port}`;
  return {
    base,
    async api(path, method, body) {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
      return res.json();
    },
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * One first visit: a new browser context (an empty HTTP cache and storage, like a private window) in the
 * running browser, navigate, wait for every node in view, click one, wait for its form.
 */
async function openOnce(browser, base, flowId, total) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  try {
    const page = await context.newPage();
    // The key goes in first, on a page of the same origin, so the measured load is the editor's alone.
    await page.goto(`${base}/healthz`);
    await page.evaluate((key) => localStorage.setItem('switchboard.apiKey', key), KEY);
    const t0 = Date.now();
    await page.goto(`${base}/flows/${flowId}`);
    await page.getByTestId('canvas').waitFor();
    // React Flow hides a node until it has measured it, and renders only the nodes in view (after it has
    // fitted the view): "drawn" is every rendered node visible, with the count steady for two frames.
    await page.waitForFunction(() => {
      const els = [...document.querySelectorAll('.react-flow__node')];
      const ready = els.length > 0 && els.every((el) => getComputedStyle(el).visibility !== 'hidden');
      const steady = ready && window.__sbBenchCount === els.length;
      window.__sbBenchCount = ready ? els.length : -1;
      return steady;
    });
    const drawn = Date.now() - t0;
    const rendered = await page.locator('.react-flow__node').count();
    // The last node drawn (for the big flow, one far from the trigger, at the edge of the view).
    await page.locator('.react-flow__node').last().click({ timeout: 10_000 });
    await page.locator('[data-testid="inspector"] [data-testid="params-form"]').waitFor();
    const interactive = Date.now() - t0;
    // Then the whole graph: "zoom to fit" (the Controls button) until every node is drawn and measured.
    const f0 = Date.now();
    await page.locator('.react-flow__controls-fitview').click();
    await page.waitForFunction((n) => {
      const els = [...document.querySelectorAll('.react-flow__node')];
      return els.length === n && els.every((el) => getComputedStyle(el).visibility !== 'hidden');
    }, total);
    const fitAll = Date.now() - f0;
    const heap = await page.evaluate(() => performance.memory?.usedJSHeapSize ?? 0);
    return { drawn, interactive, fitAll, rendered, heapMb: heap / 2 ** 20 };
  } finally {
    await context.close();
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

/**
 * The JS and CSS the built editor can load: the files index.html names and, transitively, the files
 * they name (lazy pages included). Only those: a dist folder restored from turbo's cache over an older
 * build keeps the older build's files too, and they are not part of the bundle.
 */
function bundleSizes() {
  const dir = join(ROOT, 'apps/editor/dist/assets');
  const assets = readdirSync(dir).filter((name) => /\.(js|css)$/.test(name));
  const reachable = new Set();
  const visit = (text) => {
    for (const name of assets) {
      if (reachable.has(name) || !text.includes(name)) continue;
      reachable.add(name);
      visit(readFileSync(join(dir, name), 'utf8'));
    }
  };
  visit(readFileSync(join(ROOT, 'apps/editor/dist/index.html'), 'utf8'));
  const rows = { js: { raw: 0, gz: 0 }, css: { raw: 0, gz: 0 } };
  for (const name of reachable) {
    const kind = name.endsWith('.js') ? 'js' : 'css';
    const body = readFileSync(join(dir, name));
    rows[kind].raw += statSync(join(dir, name)).size;
    rows[kind].gz += gzipSync(body, { level: 9 }).length;
  }
  return rows;
}

const server = await startServer();
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
const chromiumVersion = browser.version();
const results = [];
try {
  const cases = [
    { name: `baseline: 1-node flow`, flow: bigFlow('bench-1', 1) },
    { name: `${NODES}-node flow`, flow: bigFlow(`bench-${NODES}`, NODES) },
  ];
  for (const c of cases) await server.api('/api/flows', 'POST', c.flow);
  // One warm-up open of each (Chromium's own first start is slow), not counted.
  for (const c of cases) await openOnce(browser, server.base, c.flow.id, c.flow.nodes.length);
  const samples = new Map(cases.map((c) => [c.name, []]));
  // Alternating, so noise on this shared machine hits both rows alike.
  for (let s = 0; s < SAMPLES; s++) {
    for (const c of cases)
      samples.get(c.name).push(await openOnce(browser, server.base, c.flow.id, c.flow.nodes.length));
  }
  for (const c of cases) {
    const xs = samples.get(c.name);
    results.push({
      name: c.name,
      nodes: c.flow.nodes.length,
      edges: c.flow.edges.length,
      rendered: median(xs.map((x) => x.rendered)),
      drawn: median(xs.map((x) => x.drawn)),
      interactive: median(xs.map((x) => x.interactive)),
      worst: Math.max(...xs.map((x) => x.interactive)),
      fitAll: median(xs.map((x) => x.fitAll)),
      heapMb: median(xs.map((x) => x.heapMb)),
    });
  }
} finally {
  await browser.close();
  await server.stop();
}

const sizes = bundleSizes();
const kb = (n) => `${(n / 1024).toFixed(0)} kB`;
const big = results[1];
const met = big.interactive <= TARGET_MS;
const table = [
  '| what | nodes | edges | nodes drawn | drawn ms (median) | interactive ms (median) | interactive ms (worst) | zoom to fit, all drawn ms (median) | JS heap MB |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...results.map(
    (r) =>
      `| ${r.name} | ${r.nodes} | ${r.edges} | ${r.rendered} | ${r.drawn} | ${r.interactive} | ${r.worst} | ${r.fitAll} | ${r.heapMb.toFixed(1)} |`,
  ),
].join('\n');
const bundle = [
  '| production bundle | raw | gzip -9 |',
  '| --- | ---: | ---: |',
  `| JavaScript (apps/editor/dist/assets/*.js) | ${kb(sizes.js.raw)} | ${kb(sizes.js.gz)} |`,
  `| CSS | ${kb(sizes.css.raw)} | ${kb(sizes.css.gz)} |`,
].join('\n');
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}`;
const section = `${START}
## Editor: opening a ${NODES}-node flow

Headless Debian Chromium ${chromiumVersion} (playwright-core) against the built server on loopback, a
1440×900 window; every sample is a first visit: a new browser context (empty HTTP cache and storage,
like a private window) in the already running browser. Measured from the
start of navigation to \`/flows/<id>\`: **drawn** = the catalog and the flow are loaded and React Flow has
drawn and measured every node in view; **interactive** = then a click on a node has selected it and its
generated settings form is on screen; **zoom to fit** = then, from a click on the fit-view button, until
every node of the flow is drawn and measured (the whole graph on screen, including the fit's 300 ms
animation; the heap is read after it). ${SAMPLES} samples per row, alternating rows, after one warm-up open
of each; the baseline row is the same page with a 1-node flow. The ${NODES}-node flow is a trigger and a
chain of keyword conditions, each with a send-text, send-buttons or set-variable on its \`match\` output.

- Machine: ${machine}; ${new Date().toISOString()}
- Command: \`npm run bench\` (this part alone: \`node e2e/bench/editor-open.mjs\` after \`npm test\` or
  \`npx pnpm build\`); \`BENCH_EDITOR_SAMPLES\`, \`BENCH_EDITOR_NODES\` change the sizes.

${table}

Target: a ${NODES}-node flow interactive within ${TARGET_MS} ms: **${met ? 'met' : 'NOT met'}** (median ${big.interactive} ms,
${big.interactive - results[0].interactive} ms more than the 1-node baseline).

${bundle}

The server sends precompressed \`.br\`/\`.gz\` files (written at build time) to browsers that accept them.
${END}`;

const existing = existsSync(DOC) ? readFileSync(DOC, 'utf8') : '# Benchmarks\n';
const from = existing.indexOf(START);
const to = existing.indexOf(END);
const next =
  from >= 0 && to > from
    ? `${existing.slice(0, from)}${section}${existing.slice(to + END.length)}`
    : `${existing.trimEnd()}\n\n${section}\n`;
writeFileSync(DOC, next);
console.log(
  `\n${table}\n\n${bundle}\n\ntarget ${TARGET_MS} ms: ${met ? 'met' : 'NOT met'}\nwritten to docs/benchmarks.md`,
);
