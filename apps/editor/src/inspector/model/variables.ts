import { upstreamNodeIds } from '@switchboard/flow-schema';
import { isRecord } from './json-schema';

/**
 * What a `{{ }}` in a node's params can read, for the autocomplete list: the trigger's data (by trigger
 * type, as the server builds it from the normalized WhatsApp event), the outputs of every node that can
 * run before it (`steps.<id>`, known fields per node type), variables set upstream, the contact, the run,
 * `now` and `tz`. Pure: the flow goes in, the list comes out.
 */
export type VariableGroup = 'trigger' | 'input' | 'steps' | 'vars' | 'contact' | 'run' | 'system';

export interface VariableOption {
  /** What goes between the braces, e.g. `trigger.message.text`. */
  path: string;
  group: VariableGroup;
  /** i18n key of a short explanation, when there is one. */
  hint?: string;
  /** The node it comes from (steps, vars). */
  nodeId?: string;
}

export interface FlowShape {
  nodes: ReadonlyArray<{ id: string; type: string; params?: Record<string, unknown> }>;
  edges: ReadonlyArray<{ source: string; target: string }>;
}

/** The trigger payload's fields, by trigger type. */
const TRIGGER_FIELDS: Record<string, readonly string[]> = {
  'trigger.whatsappMessage': [
    'message.text',
    'message.type',
    'message.id',
    'message.title',
    'message.payload',
    'message.caption',
    'message.mediaId',
    'message.latitude',
    'message.longitude',
    'waId',
    'profileName',
    'messageId',
    'timestamp',
    'channelId',
    'context.replyToId',
    'referral.headline',
    'referral.sourceUrl',
  ],
  'trigger.whatsappStatus': ['status', 'messageId', 'recipientWaId', 'errors', 'timestamp', 'channelId'],
  'trigger.whatsappConsent': ['type', 'waId', 'category', 'source', 'timestamp', 'channelId'],
  'trigger.webhook': ['body', 'query', 'path', 'timestamp'],
  'trigger.schedule': ['scheduledFor', 'firedAt', 'cron', 'timezone'],
  'trigger.manual': [],
};

/** Known fields of a node's output (`steps.<id>.…`), by node type. */
const STEP_FIELDS: Record<string, readonly string[]> = {
  'whatsapp.sendText': ['messageId'],
  'whatsapp.sendButtons': ['messageId'],
  'whatsapp.sendList': ['messageId'],
  'whatsapp.sendMedia': ['messageId'],
  'whatsapp.sendTemplate': ['messageId'],
  'whatsapp.sendAndWait': ['message.text', 'message.id', 'message.title', 'waId'],
  'whatsapp.askQuestion': ['value', 'reply.message.text'],
  'data.updateContact': ['name', 'tags', 'attributes'],
  'flow.callFlow': ['output', 'vars', 'runId'],
  'flow.waitForEvent': ['event', 'status'],
};

const CONTACT_FIELDS = [
  'name',
  'waId',
  'phone',
  'country',
  'timezone',
  'tags',
  'attributes',
  'lastInboundAt',
];
const RUN_FIELDS = ['id', 'flowId', 'flowVersion', 'contactId'];

/** A property access that the engine reads as a plain path: `.name`, else `["odd name"]`. */
export function member(base: string, key: string): string {
  return /^[A-Za-z_$][\w$-]*$/.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;
}

export function availableVariables(flow: FlowShape, nodeId: string): VariableOption[] {
  const out: VariableOption[] = [];
  const add = (option: VariableOption) => {
    if (!out.some((o) => o.path === option.path)) out.push(option);
  };
  const byId = new Map(flow.nodes.map((n) => [n.id, n]));
  const upstream = upstreamNodeIds(flow, nodeId).flatMap((id) => byId.get(id) ?? []);
  // Before the node is wired in, offer the flow's trigger anyway: it is what the user is about to read.
  const trigger = upstream.find(isTrigger) ?? flow.nodes.find(isTrigger);

  add({ path: 'trigger', group: 'trigger', hint: 'var.trigger' });
  if (trigger) {
    for (const field of TRIGGER_FIELDS[trigger.type] ?? []) {
      add({ path: `trigger.${field}`, group: 'trigger', hint: `var.trigger.${field}` });
    }
    for (const key of triggerPayloadKeys(trigger)) add({ path: member('trigger', key), group: 'trigger' });
  }
  add({ path: 'input', group: 'input', hint: 'var.input' });

  for (const node of upstream) {
    if (isTrigger(node)) continue;
    const base = member('steps', node.id);
    add({ path: base, group: 'steps', nodeId: node.id });
    for (const field of STEP_FIELDS[node.type] ?? [])
      add({ path: `${base}.${field}`, group: 'steps', nodeId: node.id });
  }

  for (const node of upstream) {
    for (const name of variablesSetBy(node))
      add({ path: member('vars', name), group: 'vars', nodeId: node.id });
  }

  for (const field of CONTACT_FIELDS)
    add({ path: `contact.${field}`, group: 'contact', hint: `var.contact.${field}` });
  for (const name of contactAttributes(flow))
    add({ path: member('contact.attributes', name), group: 'contact' });
  for (const field of RUN_FIELDS) add({ path: `run.${field}`, group: 'run', hint: `var.run.${field}` });
  add({ path: 'now', group: 'system', hint: 'var.now' });
  add({ path: 'tz', group: 'system', hint: 'var.tz' });
  return out;
}

function isTrigger(node: { type: string }): boolean {
  return node.type.startsWith('trigger.');
}

/** Keys a trigger adds from its params: the manual trigger's sample, the schedule's payload. */
function triggerPayloadKeys(node: FlowShape['nodes'][number]): string[] {
  const params = node.params ?? {};
  const payload = node.type === 'trigger.manual' ? params.samplePayload : params.payload;
  return isRecord(payload) ? Object.keys(payload) : [];
}

/** Run variables a node writes: set-variable assignments, the ask-question answer. */
export function variablesSetBy(node: FlowShape['nodes'][number]): string[] {
  const params = node.params ?? {};
  if (node.type === 'data.setVariable' && Array.isArray(params.assignments)) {
    return params.assignments.flatMap((a) =>
      isRecord(a) && typeof a.name === 'string' && a.name.trim() ? [a.name.trim()] : [],
    );
  }
  if (node.type === 'whatsapp.askQuestion' && typeof params.variable === 'string' && params.variable.trim()) {
    return [params.variable.trim()];
  }
  return [];
}

/** Contact attribute names any update-contact node in the flow writes (they outlive a single run). */
function contactAttributes(flow: FlowShape): string[] {
  const names = new Set<string>();
  for (const node of flow.nodes) {
    const list = node.type === 'data.updateContact' ? node.params?.attributes : undefined;
    if (!Array.isArray(list)) continue;
    for (const a of list)
      if (isRecord(a) && typeof a.name === 'string' && a.name.trim()) names.add(a.name.trim());
  }
  return [...names];
}

/**
 * Button ids and list row ids sent by nodes before this one: what a "reply choice" condition or a
 * trigger's button filter will compare with.
 */
export function upstreamChoiceIds(flow: FlowShape, nodeId: string): string[] {
  const byId = new Map(flow.nodes.map((n) => [n.id, n]));
  // A trigger filter looks at replies to anything the flows sent, so it gets every node's ids.
  const self = byId.get(nodeId);
  const sources =
    self && isTrigger(self) ? flow.nodes : upstreamNodeIds(flow, nodeId).flatMap((id) => byId.get(id) ?? []);
  const ids = new Set<string>();
  for (const node of sources) {
    const p = node.params ?? {};
    const lists = [
      p.buttons,
      ...(Array.isArray(p.sections) ? p.sections.map((s) => (isRecord(s) ? s.rows : [])) : []),
    ];
    for (const list of lists) {
      if (!Array.isArray(list)) continue;
      for (const item of list) if (isRecord(item) && typeof item.id === 'string' && item.id) ids.add(item.id);
    }
  }
  return [...ids];
}

/** The `{{` being typed at the caret: where it starts and what follows it, or null outside one. */
export function openTemplateAt(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const start = before.lastIndexOf('{{');
  if (start < 0 || before.indexOf('}}', start) >= 0) return null;
  const query = before.slice(start + 2).trimStart();
  // A space after a name means an expression is being written, not a path being looked for.
  if (/\s/.test(query.trimEnd()) || /\s$/.test(query)) return null;
  return { start, query };
}

/** The text with the open `{{ …` at `start` replaced by `{{ path }}` (eating a `}}` already there). */
export function insertVariable(
  text: string,
  caret: number,
  start: number,
  path: string,
): { text: string; caret: number } {
  const after = text.slice(caret);
  const closing = /^[\w.$[\]"-]*\s*\}\}/.exec(after);
  const rest = closing ? after.slice(closing[0].length) : after;
  const inserted = `{{ ${path} }}`;
  return { text: text.slice(0, start) + inserted + rest, caret: start + inserted.length };
}

/** Options matching what was typed: path prefix first, then a segment start, then anywhere. */
export function filterVariables(options: readonly VariableOption[], query: string): VariableOption[] {
  const q = query.trim().toLowerCase();
  if (!q) return [...options];
  const rank = (o: VariableOption) => {
    const p = o.path.toLowerCase();
    if (p.startsWith(q)) return 0;
    if (p.includes(`.${q}`) || p.includes(`["${q}`)) return 1;
    if (p.includes(q)) return 2;
    return 3;
  };
  return options
    .map((o, i) => ({ o, i, r: rank(o) }))
    .filter((x) => x.r < 3)
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.o);
}
