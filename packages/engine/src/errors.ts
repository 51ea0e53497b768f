/**
 * Coded engine errors. Codes are stable so logs, the API and the docs can refer to them.
 */
export const ENGINE_ERRORS = {
  E001: 'unknown node type',
  E002: 'invalid params',
  E003: 'node timed out',
  E004: 'lease lost to another worker',
  E005: 'flow version not found',
  E006: 'run not found',
  E007: 'node returned output on a port it does not have',
  E008: 'interrupted: the process stopped during this step',
  E009: 'run cancelled',
} as const;
export type EngineErrorCode = keyof typeof ENGINE_ERRORS;

export class EngineError extends Error {
  constructor(
    readonly code: EngineErrorCode,
    detail?: string,
  ) {
    super(detail ? `${ENGINE_ERRORS[code]}: ${detail}` : ENGINE_ERRORS[code]);
    this.name = 'EngineError';
  }
}

/**
 * Thrown by a node to fail its step. `retryable: false` skips the retry policy
 * (bad input, policy refusals); anything else thrown counts as retryable.
 */
export class NodeError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  constructor(message: string, options: { code?: string; retryable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'NodeError';
    this.code = options.code ?? 'node_error';
    this.retryable = options.retryable ?? true;
  }
}
