import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
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

/** utime + stime of a process, in ms (Linux /proc); 0 once it is gone. */
export function processCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

/** Pids of every process on this machine whose command name is `comm` (e.g. postgres, redis-server). */
export function pidsNamed(comm: string): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return readFileSync(`/proc/${d}/comm`, 'utf8').trim() === comm;
      } catch {
        return false; // ended while we looked
      }
    })
    .map(Number);
}

/** Busy and total CPU time of the whole machine so far, in clock ticks (/proc/stat). */
export function machineCpuTicks(): { busy: number; total: number } {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number);
  const total = ticks.reduce((a, b) => a + b, 0);
  // idle and iowait are the 4th and 5th fields: time no process had the CPU.
  return { busy: total - ticks[3]! - ticks[4]!, total };
}

/** SIGTERM, then SIGKILL if the process has not exited within `graceMs`. */
export async function stopProcess(proc: ChildProcess, graceMs = 10_000): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
