export { ExpressionPool, type ExpressionPoolOptions, type ExpressionSession } from './expression-pool.js';
export { SCOPE_NAMES } from './expression-prelude.js';
export { type RunCodeOptions, runCode, SandboxError } from './run-code.js';
