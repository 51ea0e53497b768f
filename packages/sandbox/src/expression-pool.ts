import ivm from 'isolated-vm';
import { prelude, SCOPE_NAMES } from './expression-prelude.js';
import { SandboxError } from './run-code.js';

export interface ExpressionPoolOptions {
  /** Heap cap of the shared isolate. Default 32 MiB. */
  memoryMb?: number;
  /** Time limit of one evaluation. Default 50 ms. */
  timeoutMs?: number;
  /** Largest result accepted, as JSON text. Default 256 KiB. */
  maxOutputBytes?: number;
  /** Compiled expressions kept, least recently used dropped first. Default 1,000. */
  cacheSize?: number;
  /** Longest expression accepted. Default 10,000 characters. */
  maxSourceLength?: number;
}

/** One step's evaluations over one scope. */
export interface ExpressionSession {
  /** The expression's value (JSON-copied out of the isolate); throws `SandboxError` naming the problem. */
  evaluate(source: string): unknown;
}

type Fn = ivm.Reference<(...args: unknown[]) => unknown>;
/** Scopes up to this size (JSON characters) parse well within one evaluation's time limit. */
const INLINE_SCOPE_CHARS = 64 * 1024;

interface Slot {
  isolate: ivm.Isolate;
  setScope: Fn;
  compile: Fn;
  forget: Fn;
  run: Fn;
  /** Expression source → id of its compiled function inside the isolate (a Map keeps use order). */
  ids: Map<string, number>;
  nextId: number;
  /** The session whose scope is in the isolate now. */
  owner: object | undefined;
}

/**
 * Evaluates `{{ }}` expressions in one long-lived isolated-vm isolate: the context and its time helpers
 * are set up once, compiled expressions are cached, and a step's scope is copied in once (as JSON) and
 * re-copied only when another step's session used the isolate in between. Calls are synchronous: a
 * cross-thread async call costs ~30 times more than the evaluation itself, and the time limit bounds how
 * long one call can hold the event loop. After a fatal error (memory limit) the isolate is rebuilt.
 *
 * @example
 * const pool = new ExpressionPool();
 * pool.begin({ vars: { total: 100 }, now: new Date().toISOString(), tz: 'Europe/Madrid' })
 *   .evaluate('vars.total * 1.21'); // 121
 */
export class ExpressionPool {
  private slot: Slot | undefined;
  private readonly memoryMb: number;
  private readonly timeoutMs: number;
  private readonly maxOutputBytes: number;
  private readonly cacheSize: number;
  private readonly maxSourceLength: number;
  private disposed = false;

  constructor(options: ExpressionPoolOptions = {}) {
    this.memoryMb = options.memoryMb ?? 32;
    this.timeoutMs = options.timeoutMs ?? 50;
    this.maxOutputBytes = options.maxOutputBytes ?? 256 * 1024;
    this.cacheSize = Math.max(1, options.cacheSize ?? 1_000);
    this.maxSourceLength = options.maxSourceLength ?? 10_000;
  }

  /**
   * Starts a session over `scope` (JSON data: trigger, input, vars, steps, run, contact, `now` as an ISO
   * string, `tz` as an IANA zone). The scope is serialized now and enters the isolate with the first
   * evaluation.
   */
  begin(scope: Record<string, unknown>): ExpressionSession {
    const json = JSON.stringify(scope);
    const session = { evaluate: (source: string) => this.evaluate(session, json, source) };
    return session;
  }

  /** Disposes the isolate; later sessions fail. */
  dispose(): void {
    this.disposed = true;
    this.drop();
  }

  private evaluate(session: object, scopeJson: string, source: string): unknown {
    if (source.length > this.maxSourceLength)
      throw new SandboxError(`the expression is longer than ${this.maxSourceLength} characters`, 'script');
    let slot = this.live();
    try {
      return this.call(slot, session, scopeJson, source);
    } catch (first) {
      const error = this.classify(first, slot);
      if (error.code !== 'timeout') throw error;
      // The limit is wall-clock time: a busy machine or a pause of this process can stop a tiny
      // expression. A second try (with a fresh copy of the scope) tells that from an endless loop.
      slot = this.live();
      try {
        return this.call(slot, session, scopeJson, source);
      } catch (second) {
        throw this.classify(second, slot);
      }
    }
  }

  private call(slot: Slot, session: object, scopeJson: string, source: string): unknown {
    const id = this.compiled(slot, source);
    let out: unknown;
    if (slot.owner === session) {
      slot.owner = undefined;
      out = slot.run.applySync(undefined, [id], { timeout: this.timeoutMs });
    } else {
      slot.owner = undefined;
      if (scopeJson.length <= INLINE_SCOPE_CHARS) {
        out = slot.run.applySync(undefined, [id, scopeJson], { timeout: this.timeoutMs });
      } else {
        // Parsing a large scope may take longer than one expression is allowed to.
        slot.setScope.applySync(undefined, [scopeJson], { timeout: Math.max(this.timeoutMs, 1_000) });
        out = slot.run.applySync(undefined, [id], { timeout: this.timeoutMs });
      }
    }
    // Only after a call that returned is the scope known to be intact for the next evaluation.
    slot.owner = session;
    if (typeof out === 'number') {
      throw new SandboxError(
        `the result is ${out} characters of JSON; at most ${this.maxOutputBytes} are kept`,
        'result',
      );
    }
    return typeof out === 'string' ? JSON.parse(out) : undefined;
  }

  private compiled(slot: Slot, source: string): number {
    const known = slot.ids.get(source);
    if (known !== undefined) {
      slot.ids.delete(source);
      slot.ids.set(source, known);
      return known;
    }
    const id = slot.nextId++;
    slot.compile.applySync(undefined, [id, source], { timeout: this.timeoutMs });
    slot.ids.set(source, id);
    if (slot.ids.size > this.cacheSize) {
      const [oldest, oldId] = slot.ids.entries().next().value as [string, number];
      slot.ids.delete(oldest);
      slot.forget.applySync(undefined, [oldId]);
    }
    return id;
  }

  private classify(error: unknown, slot: Slot): SandboxError {
    if (error instanceof SandboxError) return error;
    const message = error instanceof Error ? error.message : String(error);
    if (slot.isolate.isDisposed) {
      this.drop();
      return new SandboxError(`the expression used more than ${this.memoryMb} MB`, 'memory');
    }
    if (/timed out/i.test(message))
      return new SandboxError(`the expression ran longer than ${this.timeoutMs} ms`, 'timeout');
    return new SandboxError(message, 'script');
  }

  private live(): Slot {
    if (this.disposed) throw new SandboxError('the expression pool is closed', 'script');
    if (this.slot && !this.slot.isolate.isDisposed) return this.slot;
    this.drop();
    const isolate = new ivm.Isolate({ memoryLimit: this.memoryMb });
    try {
      const context = isolate.createContextSync();
      const api = context.evalSync(
        `(${prelude.toString()})(${JSON.stringify(SCOPE_NAMES)}, ${this.maxOutputBytes})`,
        { reference: true, timeout: 5_000 },
      ) as ivm.Reference<Record<string, unknown>>;
      const fn = (name: string) => api.getSync(name, { reference: true }) as Fn;
      this.slot = {
        isolate,
        setScope: fn('setScope'),
        compile: fn('compile'),
        forget: fn('forget'),
        run: fn('run'),
        ids: new Map(),
        nextId: 1,
        owner: undefined,
      };
      api.release();
      return this.slot;
    } catch (error) {
      if (!isolate.isDisposed) isolate.dispose();
      throw error;
    }
  }

  private drop(): void {
    const slot = this.slot;
    this.slot = undefined;
    if (slot && !slot.isolate.isDisposed) slot.isolate.dispose();
  }
}
