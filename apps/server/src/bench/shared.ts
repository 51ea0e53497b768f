import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { escapeUnicode, inboundMessagePayload, signBody } from '@switchboard/whatsapp';

export const BENCH_SECRET = 'bench-app-secret';
export const BENCH_BUSINESS = {
  phoneNumberId: '100000000000000',
  displayPhoneNumber: '15550000000',
  wabaId: '0',
};

/** Starts a Node process that prints `"port":N` once it listens (our server's start-up log, or a helper's). */
export function startProcess(
  args: string[],
  env: Record<string, string>,
): Promise<{ proc: ChildProcess; port: number }> {
  // BENCH_NODE_ARGS (e.g. "--cpu-prof") is passed to every child: profile what a benchmark loads.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const proc = spawn(process.execPath, [...nodeArgs, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (d) => {
      out += d;
      const m = /"port":(\d+)/.exec(out);
      if (m) resolve({ proc, port: Number(m[1]) });
    });
    proc.on('exit', (code) => reject(new Error(`process exited with ${code}: ${out}`)));
  });
}

/**
 * One inbound text webhook as Meta sends it: escaped unicode, signed, with its own wamid (no dedupe
 * shortcuts), from one of 1,000 customers whose numbers start with `prefix`.
 */
export function signedTextMessage(
  prefix: string,
  text: string,
  business: typeof BENCH_BUSINESS = BENCH_BUSINESS,
): { body: Buffer; signature: string } {
  const payload = inboundMessagePayload({
    business,
    from: `${prefix}${String(Math.floor(Math.random() * 1000)).padStart(7, '0')}`,
    name: 'Benchmark',
    id: `wamid.BENCH${randomBytes(12).toString('hex')}`,
    at: new Date(),
    message: { type: 'text', text: { body: text } },
  });
  const body = Buffer.from(escapeUnicode(JSON.stringify(payload)));
  return { body, signature: signBody(body, BENCH_SECRET) };
}
