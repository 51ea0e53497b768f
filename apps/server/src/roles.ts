import type { Role } from './api.js';

/**
 * The role lists routes declare (`roles:` in each `api.add`). The policy, route by route and with the
 * reasons, is the "Roles and routes" table in docs/security.md; the role × route matrix test
 * (test/roles-matrix.test.ts) checks every registered route against its own copy of that table.
 */

/** Owner and admin: users, keys, channels, credential secrets, teams and agents, audit. */
export const ADMINS = ['owner', 'admin'] as const satisfies readonly Role[];
/** Those who build and test flows: flow writes, runs, simulator, sandbox, credential names. */
export const BUILDERS = ['owner', 'admin', 'builder'] as const satisfies readonly Role[];
/** Read-only flows and analytics (flows, versions, executions, node types): builders and viewers. */
export const FLOW_READERS = ['owner', 'admin', 'builder', 'viewer'] as const satisfies readonly Role[];
/** The inbox (conversations, their contacts and messages); an agent sees only their teams'. */
export const INBOX = ['owner', 'admin', 'agent'] as const satisfies readonly Role[];
/** Who may read agents: builders (routing nodes) and agents (to transfer). */
export const AGENT_READERS = ['owner', 'admin', 'builder', 'agent'] as const satisfies readonly Role[];
/** Every role: the teams list (pickers, transfers, analytics). */
export const EVERY_ROLE = ['owner', 'admin', 'builder', 'agent', 'viewer'] as const satisfies readonly Role[];
