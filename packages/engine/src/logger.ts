/** The subset of pino's API the engine and nodes use; the server passes a pino logger. */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silentLogger;
  },
};

/**
 * `parent.child(bindings)`, made only when something logs: most steps never do, and making a child
 * logger for every step costs more than the step's own work.
 */
export function lazyChild(parent: Logger, bindings: Record<string, unknown>): Logger {
  let made: Logger | undefined;
  const get = () => {
    made ??= parent.child(bindings);
    return made;
  };
  const level =
    (name: 'debug' | 'info' | 'warn' | 'error') =>
    (obj: object, msg?: string): void =>
      msg === undefined ? get()[name](obj) : get()[name](obj, msg);
  return {
    debug: level('debug'),
    info: level('info'),
    warn: level('warn'),
    error: level('error'),
    child: (more) => get().child(more),
  };
}
