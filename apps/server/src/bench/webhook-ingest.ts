import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { BENCH_SECRET as SECRET, signedTextMessage, startProcess } from './shared.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const CONNECTIONS = 20;
const ROUNDS = 3;

function median(rows: IngestRow[]): IngestRow {
  return [...rows].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond)[Math.floor(rows.length / 2)]!;
}

export interface IngestRow {
  name: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
}

async function load(name: string, port: number, seconds: number): Promise<IngestRow> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/webhooks/whatsapp`,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const { body, signature } = signedTextMessage(
            '3466',
            '¿Dónde está mi pedido? Necesito la factura de facturación.',
          );
          return {
            ...req,
            body: body.toString(),
            headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
          };
        },
      },
    ],
  });
  return {
    name,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.non2xx,
  };
}

/**
 * Webhook ingest (signature check, parse, normalize, durable insert of body + dedupe keys, 200) against
 * a bare Express JSON route, both loaded the same way in one run: 20 connections, unique signed bodies.
 */
export async function runWebhookBench(): Promise<IngestRow[]> {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-bench-ingest-'));
  const bare = await startProcess([join(here, 'bare-express.js')], {});
  const sb = await startProcess([join(here, '../../bin/switchboard.mjs'), 'start'], {
    PORT: '0',
    SWITCHBOARD_DATA_DIR: dataDir,
    SWITCHBOARD_SEED_EXAMPLES: 'false',
    LOG_LEVEL: 'info',
    WHATSAPP_APP_SECRET: SECRET,
    WHATSAPP_VERIFY_TOKEN: 'bench-verify',
  });
  try {
    await load('warm-up', bare.port, 2);
    await load('warm-up', sb.port, 2);
    // Alternate short rounds and keep each side's median round, so a noisy moment hits both sides alike.
    const bareRounds: IngestRow[] = [];
    const sbRounds: IngestRow[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      bareRounds.push(await load('bare Express 5 JSON route (baseline)', bare.port, SECONDS / ROUNDS));
      sbRounds.push(
        await load(
          'Switchboard /webhooks/whatsapp (signed, stored durably before the 200)',
          sb.port,
          SECONDS / ROUNDS,
        ),
      );
    }
    return [median(bareRounds), median(sbRounds)];
  } finally {
    bare.proc.kill('SIGKILL');
    sb.proc.kill('SIGTERM');
    await new Promise((r) => sb.proc.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}
