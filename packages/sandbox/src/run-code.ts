import ivm from 'isolated-vm';

export interface RunCodeOptions {
  /** The body of an async function; `input` is in scope and its return value is the result. */
  code: string;
  input?: unknown;
  timeoutMs?: number;
  memoryMb?: number;
  /** Largest result accepted, as JSON text. Default 1 MiB. */
  maxOutputBytes?: number;
}

export class SandboxError extends Error {
  constructor(
    message: string,
    readonly code: 'timeout' | 'memory' | 'script' | 'result',
  ) {
    super(message);
    this.name = 'SandboxError';
  }
}

/**
 * Runs untrusted code in a fresh V8 isolate with a memory cap and a time limit. The input goes in as
 * a copy and the result comes out as JSON: no handles to the host leak in or out.
 *
 * @example
 * await runCode({ code: 'return input.a + 1', input: { a: 1 } }); // 2
 */
export async function runCode({
  code,
  input = null,
  timeoutMs = 1_000,
  memoryMb = 64,
  maxOutputBytes = 1024 * 1024,
}: RunCodeOptions): Promise<unknown> {
  const isolate = new ivm.Isolate({ memoryLimit: memoryMb });
  try {
    const context = await isolate.createContext();
    await context.global.set('input', new ivm.ExternalCopy(input).copyInto());
    const wrapped = `(async () => { ${code}\n })().then((v) => JSON.stringify(v === undefined ? null : v))`;
    const json = await context.eval(wrapped, { timeout: timeoutMs, promise: true });
    if (typeof json !== 'string')
      throw new SandboxError('the code returned something that is not JSON', 'result');
    if (json.length > maxOutputBytes) {
      throw new SandboxError(
        `the result is ${json.length} bytes; at most ${maxOutputBytes} are kept`,
        'result',
      );
    }
    return JSON.parse(json);
  } catch (error) {
    if (error instanceof SandboxError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    if (/timed out/i.test(message))
      throw new SandboxError(`the code ran longer than ${timeoutMs} ms`, 'timeout');
    if (isolate.isDisposed || /memory/i.test(message)) {
      throw new SandboxError(`the code used more than ${memoryMb} MB`, 'memory');
    }
    throw new SandboxError(message, 'script');
  } finally {
    if (!isolate.isDisposed) isolate.dispose();
  }
}
