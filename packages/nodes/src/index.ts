export { delay } from './nodes/delay.js';
export { ifCondition } from './nodes/if-condition.js';
export { logAction } from './nodes/log-action.js';
export { manualTrigger } from './nodes/manual-trigger.js';
export { merge } from './nodes/merge.js';
export { setVariable } from './nodes/set-variable.js';
export { switchCondition } from './nodes/switch-condition.js';
export { builtinNodes, createRegistry } from './registry.js';
