export { CRM_PROVIDERS, type CrmProvider, HUBSPOT_LOG_AS, timelineText } from './providers.js';
export { type CrmSyncDeps, startCrmSync } from './sync.js';
export { CrmSyncTap } from './tap.js';
