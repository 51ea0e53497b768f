/**
 * Which kinds of stored credential each node's credential field accepts, so its picker lists only those.
 *
 * Why this lives in the editor: the node catalog (`GET /api/node-types`) describes a credential param
 * only as a string, with no field saying which credential types the node checks it against (that list
 * sits in each node's execute code, e.g. `credentialTypes: ['slack']`), and the editor may not import the
 * nodes package. So the mapping is kept here, in one place; a node type this file does not know gets
 * every stored credential, and the server still refuses a credential of the wrong type when the node runs.
 * Keep it in step with `packages/nodes/src/nodes/*.ts` and `apps/server/src/http/credential-types.ts`.
 */

/** The credential types the server stores (`type` in `GET /api/credentials`). */
export const CREDENTIAL_TYPES = [
  'hubspot',
  'bitrix24',
  'slack',
  'httpBearer',
  'httpBasic',
  'httpHeader',
] as const;
export type CredentialType = (typeof CREDENTIAL_TYPES)[number];

/** Param keys that name a stored credential; each gets the credential picker. */
export const CREDENTIAL_FIELDS = ['credential', 'slackCredential'] as const;

/** By exact node type: the types its `credential` param accepts. */
const BY_NODE_TYPE: Record<string, readonly CredentialType[]> = {
  'notify.slack': ['slack'],
  'helpdesk.createTicket': ['httpBasic'],
  'http.request': ['httpBearer', 'httpBasic', 'httpHeader'],
};

/** By the node type's prefix (every HubSpot or Bitrix24 node, including ones added later). */
const BY_PREFIX: ReadonlyArray<[prefix: string, types: readonly CredentialType[]]> = [
  ['hubspot.', ['hubspot']],
  ['bitrix24.', ['bitrix24']],
];

/** By field key, whatever the node: `slackCredential` (routing.assign's escalation) is always Slack. */
const BY_FIELD: Record<string, readonly CredentialType[]> = {
  slackCredential: ['slack'],
};

/**
 * The credential types a node's credential field accepts, or null when this editor does not know (then
 * the picker lists every stored credential).
 */
export function credentialTypesFor(nodeType: string, fieldKey: string): readonly CredentialType[] | null {
  const byField = BY_FIELD[fieldKey];
  if (byField) return byField;
  if (fieldKey !== 'credential') return null;
  const exact = BY_NODE_TYPE[nodeType];
  if (exact) return exact;
  return BY_PREFIX.find(([prefix]) => nodeType.startsWith(prefix))?.[1] ?? null;
}
