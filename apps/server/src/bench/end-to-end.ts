import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import {
  BENCH_BUSINESS as BUSINESS,
  BENCH_SECRET as SECRET,
  signedTextMessage,
  startProcess,
} from './shared.js';

const SECONDS = Number(process.env.BENCH_E2E_SECONDS ?? 10);
/**
 * Meta caps one business number at 1,000 messages/s (its highest tier), so a server past that rate needs
 * several numbers: the load comes in on three, each its own channel with its own pacer.
 */
const NUMBERS = [0, 1, 2].map((i) => ({
  ...BUSINESS,
  phoneNumberId: String(Number(BUSINESS.phoneNumberId) + i),
  displayPhoneNumber: String(Number(BUSINESS.displayPhoneNumber) + i),
}));
const KEY = 'bench-api-key-0123456789';

export interface EndToEndRow {
  name: string;
  executionsPerSecond: number;
  completed: number;
  cpuMsPerExecution: number;
  p50: number;
  p99: number;
}

const flow = {
  schemaVersion: 1,
  id: 'bench-keyword-reply',
  name: 'Benchmark: keyword → reply',
  nodes: [
    {
      id: 'in',
      type: 'trigger.whatsappMessage',
      position: { x: 0, y: 0 },
      params: { messageTypes: ['text'] },
    },
    {
      id: 'kw',
      type: 'condition.keyword',
      position: { x: 1, y: 0 },
      params: { keywords: ['hola', 'hello'] },
    },
    {
      id: 'reply',
      type: 'whatsapp.sendText',
      position: { x: 2, y: 0 },
      params: { text: '¡Hola! ¿En qué te ayudo?' },
    },
  ],
  edges: [
    { id: 'e1', source: 'in', target: 'kw' },
    { id: 'e2', source: 'kw', sourcePort: 'match', target: 'reply' },
  ],
};

/** utime + stime of a process, in ms (Linux /proc). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

const counted = async (graph: number) =>
  (await (await fetch(`http://127.0.0.1:${graph}/count`)).json()) as { count: number; last: number };

async function measure(
  name: string,
  target: { proc: ChildProcess; port: number },
  graph: number,
): Promise<EndToEndRow> {
  process.stderr.write(`end-to-end: loading ${name}\n`);
  const before = await counted(graph);
  const cpuBefore = cpuMs(target.proc.pid!);
  const started = Date.now();
  const result = await autocannon({
    url: `http://127.0.0.1:${target.port}/webhooks/whatsapp`,
    connections: 20,
    duration: SECONDS,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const number = NUMBERS[Math.floor(Math.random() * NUMBERS.length)];
          const { body, signature } = signedTextMessage('3467', 'Hola, ¿tenéis envío a Canarias?', number);
          return {
            ...req,
            body: body.toString(),
            headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
          };
        },
      },
    ],
  });
  process.stderr.write(
    `end-to-end: load done (${result.requests.total} requests, ${result.non2xx} non-2xx), draining\n`,
  );
  // Let the queue drain: executions still in flight when the load stops count once they land.
  let now = await counted(graph);
  for (let stable = 0; stable < 5 && Date.now() - started < (SECONDS + 30) * 1000; ) {
    await new Promise((r) => setTimeout(r, 200));
    const next = await counted(graph);
    if (process.env.BENCH_DEBUG) process.stderr.write(`drain ${next.count} stable=${stable}\n`);
    stable = next.count === now.count ? stable + 1 : 0;
    now = next;
  }
  const completed = now.count - before.count;
  const seconds = (now.last - started) / 1000;
  return {
    name,
    executionsPerSecond: completed / seconds,
    completed,
    cpuMsPerExecution: (cpuMs(target.proc.pid!) - cpuBefore) / completed,
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}

/**
 * The figure users compare: signed webhook → keyword condition → send a text through a local fake Cloud
 * API, as completed executions per second counted at the fake, next to a bare Express route that makes
 * the same outbound POST.
 */
export async function runEndToEndBench(): Promise<EndToEndRow[]> {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const graph = await startProcess([join(here, 'fake-graph.js')], {});
  const graphUrl = `http://127.0.0.1:${graph.port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-bench-e2e-'));
  const bare = await startProcess([join(here, 'bare-forward.js')], { GRAPH_URL: graphUrl });
  let sb: { proc: ChildProcess; port: number } | undefined;
  try {
    const bareRow = await measure('bare Express 5 route + one outbound POST (baseline)', bare, graph.port);
    bare.proc.kill('SIGKILL');
    sb = await startProcess([join(here, '../../bin/switchboard.mjs'), 'start'], {
      PORT: '0',
      SWITCHBOARD_DATA_DIR: dataDir,
      SWITCHBOARD_API_KEY: KEY,
      SWITCHBOARD_SEED_EXAMPLES: 'false',
      LOG_LEVEL: 'info', // the start-up line carries the port
      WHATSAPP_MODE: 'live',
      WHATSAPP_PHONE_NUMBER_ID: BUSINESS.phoneNumberId,
      WHATSAPP_ACCESS_TOKEN: 'bench-access-token',
      WHATSAPP_APP_SECRET: SECRET,
      WHATSAPP_VERIFY_TOKEN: 'bench-verify',
      WHATSAPP_API_URL: graphUrl,
      WHATSAPP_RATE_PER_SECOND: '1000',
      WHATSAPP_PAIR_SPACING_MS: '0',
    });
    const api = (path: string, body?: unknown) =>
      fetch(`http://127.0.0.1:${sb!.port}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    for (const [i, number] of NUMBERS.entries()) {
      if (i === 0) continue; // the default channel, from the environment
      const put = await fetch(`http://127.0.0.1:${sb.port}/api/channels/bench-${i}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          name: `Benchmark number ${i + 1}`,
          phoneNumberId: number.phoneNumberId,
          displayPhoneNumber: number.displayPhoneNumber,
          accessToken: 'bench-access-token',
          appSecret: SECRET, // one Meta app, several numbers: one app secret
          verifyToken: 'bench-verify',
        }),
      });
      if (!put.ok) throw new Error(`channel bench-${i}: ${put.status} ${await put.text()}`);
    }
    await api('/api/flows', flow);
    await api(`/api/flows/${flow.id}/activate`);
    const sbRow = await measure(
      'Switchboard: signed webhook → keyword → send text (durable)',
      sb,
      graph.port,
    );
    return [bareRow, sbRow];
  } finally {
    bare.proc.kill('SIGKILL');
    sb?.proc.kill('SIGTERM');
    if (sb) await new Promise((r) => sb!.proc.once('exit', r));
    graph.proc.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}
