import { CREDENTIAL_FIELDS } from './credential-types';

/**
 * What a JSON Schema cannot say about how a field should be edited: which widget (a `format`), when a
 * field matters (another field's value), what is tucked away, and WhatsApp rules that span fields. The
 * schema stays the source of truth for types and limits; these only shape the form.
 */
export interface FieldHint {
  /**
   * Widget to use instead of the one the type implies. A format names an entry of the widget registry
   * (`fields/formats.tsx`): 'cron', 'weekHours', 'timezone', 'time', 'date', 'datetime', 'code',
   * 'templateName', 'templateParams' today;
   * a credential picker would be one more ('credential') once there is a credentials API.
   */
  format?: string;
  /** Shown only while a sibling field has one of these values (its default when unset). */
  showIf?: { field: string; values: readonly unknown[] };
  /** Required while shown: the node checks it across fields, which the JSON Schema cannot say. */
  requiredWhenShown?: boolean;
  /** Tucked under "More options" (unless it has a value or a problem). */
  advanced?: boolean;
  /** Lists of objects: fields whose values must differ between items (ids become output ports). */
  unique?: readonly string[];
  /** Lists of objects: a limit on nested items across all of them (rows over all list sections). */
  total?: { of: string; max: number };
  /** Arrays of strings: an ordered list of values (template parameters) instead of chips. */
  ordered?: boolean;
  /** Multi-line text even without a long maxLength. */
  multiline?: boolean;
  /** Suggest these values in the input (ids of the buttons and list rows sent upstream). */
  suggest?: 'choiceIds';
  /** New items of this list start as this value (ids are still made unique). */
  newItem?: Record<string, unknown>;
  /** Prefix of ids generated for new items' `id` / `port` fields, e.g. `button` → `button_2`. */
  idPrefix?: string;
}

/** `condition.if` operators that compare with a right-hand value (the others test only the left). */
const BINARY_OPERATORS = [
  'equals',
  'notEquals',
  'contains',
  'notContains',
  'startsWith',
  'endsWith',
  'greaterThan',
  'lessThan',
  'matchesRegex',
];

/** Param keys that name a team (an id, or a name the server also accepts); route rules' `team` too. */
const TEAM_FIELDS = ['team', 'fallbackTeam', 'escalateToTeam'] as const;

/** A route rule's fields by the `kind` that uses them (`kind` and `team` are always shown). */
export const RULE_FIELDS_BY_KIND = {
  keyword: ['keywords', 'match'],
  button: ['ids'],
  value: ['value', 'equals'],
  time: ['days', 'from', 'to', 'timezone'],
} as const;
/** What the node checks for each kind besides the schema (at least one keyword, a start and an end…). */
const RULE_REQUIRED = new Set(['keywords', 'ids', 'equals', 'from', 'to']);

function ruleHints(): Record<string, FieldHint> {
  const hints: Record<string, FieldHint> = { rules: { newItem: { kind: 'keyword' } } };
  for (const [kind, fields] of Object.entries(RULE_FIELDS_BY_KIND)) {
    for (const field of fields) {
      hints[`rules.${field}`] = {
        showIf: { field: 'kind', values: [kind] },
        ...(RULE_REQUIRED.has(field) ? { requiredWhenShown: true } : {}),
      };
    }
  }
  return hints;
}

/** Hints for a field name in every node type. */
const BY_KEY: Record<string, FieldHint> = {
  ...Object.fromEntries(CREDENTIAL_FIELDS.map((key) => [key, { format: 'credential' }])),
  ...Object.fromEntries(TEAM_FIELDS.map((key) => [key, { format: 'team' }])),
  to: { advanced: true },
  channel: { advanced: true },
  messageId: { advanced: true },
  timezone: { format: 'timezone' },
  code: { format: 'code' },
  expression: { format: 'code' },
};

/** Hints by node type, then by the field's path in params without list indexes (`sections.rows`). */
const BY_TYPE: Record<string, Record<string, FieldHint>> = {
  'trigger.whatsappMessage': { buttonIds: { suggest: 'choiceIds' } },
  'trigger.schedule': { cron: { format: 'cron' } },
  'condition.businessHours': { schedule: { format: 'weekHours' } },
  'condition.replyId': {
    ids: { unique: ['id'], newItem: { id: '' } },
    'ids.id': { suggest: 'choiceIds' },
  },
  'condition.switch': { cases: { unique: ['port'], idPrefix: 'case' } },
  'condition.contact': {
    tag: { showIf: { field: 'check', values: ['hasTag'] }, requiredWhenShown: true },
    attribute: { showIf: { field: 'check', values: ['attributeEquals'] }, requiredWhenShown: true },
    value: { showIf: { field: 'check', values: ['attributeEquals'] } },
    category: { showIf: { field: 'check', values: ['optedIn'] } },
  },
  'condition.if': {
    right: { showIf: { field: 'operator', values: BINARY_OPERATORS } },
  },
  'whatsapp.sendButtons': { buttons: { unique: ['id', 'title'], idPrefix: 'button' } },
  'whatsapp.sendAndWait': {
    buttons: { unique: ['id', 'title'], idPrefix: 'button' },
    // The account's templates, with what the server will say of the send (unknown, not approved…).
    'template.name': { format: 'templateName' },
    'template.bodyParams': { format: 'templateParams' },
  },
  'whatsapp.sendList': {
    sections: { total: { of: 'rows', max: 10 } },
    'sections.rows': { unique: ['id'], idPrefix: 'row' },
    'sections.rows.description': { multiline: false },
  },
  'whatsapp.sendTemplate': {
    name: { format: 'templateName' },
    // One input per parameter of the chosen template; the free ordered list when it is not known here.
    headerParams: { format: 'templateParams', ordered: true },
    bodyParams: { format: 'templateParams', ordered: true },
    quickReplyPayloads: { ordered: true },
  },
  'whatsapp.sendMedia': {
    filename: { showIf: { field: 'kind', values: ['document'] } },
    caption: { showIf: { field: 'kind', values: ['image', 'video', 'document'] } },
  },
  'whatsapp.askQuestion': {
    options: { showIf: { field: 'expect', values: ['oneOf'] }, requiredWhenShown: true },
  },
  'data.updateContact': { consent: { advanced: true } },
  'data.code': { timeoutMs: { advanced: true }, memoryMb: { advanced: true } },
  'flow.delay': {
    amount: { showIf: { field: 'mode', values: ['duration'] }, requiredWhenShown: true },
    unit: { showIf: { field: 'mode', values: ['duration'] } },
    until: { showIf: { field: 'mode', values: ['until'] }, requiredWhenShown: true },
    before: { showIf: { field: 'mode', values: ['until'] } },
    time: { showIf: { field: 'mode', values: ['timeOfDay'] }, requiredWhenShown: true },
    timezone: { showIf: { field: 'mode', values: ['timeOfDay'] } },
  },
  'flow.waitForEvent': {
    message: { showIf: { field: 'event', values: ['message.delivered', 'message.read', 'message.failed'] } },
    path: { showIf: { field: 'event', values: ['webhook'] }, requiredWhenShown: true },
    field: { showIf: { field: 'event', values: ['webhook'] }, requiredWhenShown: true },
    equals: { showIf: { field: 'event', values: ['webhook'] }, requiredWhenShown: true },
    secretFrom: { showIf: { field: 'event', values: ['webhook'] } },
  },
  'flow.callFlow': { timeoutSeconds: { showIf: { field: 'mode', values: ['wait'] } } },
  'routing.route': ruleHints(),
  'routing.assign': {
    urgentKeywords: { showIf: { field: 'priority', values: ['auto'] } },
    tier: { showIf: { field: 'priority', values: ['auto'] } },
    vipValues: { showIf: { field: 'priority', values: ['auto'] } },
    slackCredential: { showIf: { field: 'escalateToSlack', values: [true] } },
  },
};

/** The hint for a field: the node type's own, over the one for its name. */
export function hintFor(nodeType: string, schemaPath: string, key: string): FieldHint {
  return { ...BY_KEY[key], ...BY_TYPE[nodeType]?.[schemaPath] };
}

/** Whether a hinted field is shown, given its siblings (a hidden field with a value stays visible). */
export function isShown(
  hint: FieldHint,
  siblings: Record<string, unknown>,
  siblingDefaults: Record<string, unknown>,
): boolean {
  if (!hint.showIf) return true;
  const current = siblings[hint.showIf.field] ?? siblingDefaults[hint.showIf.field];
  return hint.showIf.values.includes(current);
}
