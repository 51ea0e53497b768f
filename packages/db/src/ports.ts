import type { SqliteGate } from './sqlite-gate.js';

/**
 * The asynchronous face of a repository: the same public methods, each returning a promise. The server
 * talks to repositories only through these, so one code path works on SQLite (embedded; the better-sqlite3
 * repositories wrapped by `asyncOf`) and on Postgres (scale-out; the `Pg…Repository` classes, which
 * implement `AsyncOf<…Repository>` and so cannot drift from the SQLite shape without a compile error).
 */
export type AsyncOf<T> = {
  [K in keyof T as T[K] extends (...args: never[]) => unknown ? K : never]: T[K] extends (
    ...args: infer A
  ) => infer R
    ? (...args: A) => Promise<Awaited<R>>
    : never;
};

/**
 * A synchronous (better-sqlite3) repository seen through its asynchronous face. The work still happens
 * synchronously inside the call, as before, unless a transaction of another caller holds `gate` (see
 * `SqliteGate`): then it waits for that transaction to end. An error becomes a rejected promise, as it
 * would on Postgres.
 */
export function asyncOf<T extends object>(repo: T, gate?: SqliteGate): AsyncOf<T> {
  return new Proxy(repo, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      return (...args: unknown[]) => {
        const work = () => method.apply(target, args);
        if (gate) return gate.run(work);
        try {
          return Promise.resolve(work());
        } catch (error) {
          return Promise.reject(error);
        }
      };
    },
  }) as unknown as AsyncOf<T>;
}
