import { z } from 'zod';

// String#length counts UTF-16 units, never fewer than code points, so limits err on the strict side.
const text = (max: number) => z.string().min(1, 'must not be empty').max(max, `at most ${max} characters`);

const wamid = z.string().min(1, 'must not be empty');
const replyTo = wamid.optional();

const httpsUrl = z.url({ protocol: /^https$/, error: 'must be an https URL' });

const mediaSource = {
  mediaId: z.string().min(1, 'must not be empty').optional(),
  link: httpsUrl.optional(),
};

function exactlyOneSource(
  value: { mediaId?: string | undefined; link?: string | undefined },
  ctx: z.RefinementCtx,
) {
  if (value.mediaId !== undefined && value.link !== undefined) {
    ctx.addIssue({ code: 'custom', message: 'give either mediaId or link, not both', path: ['link'] });
  } else if (value.mediaId === undefined && value.link === undefined) {
    ctx.addIssue({ code: 'custom', message: 'mediaId or link is required', path: ['mediaId'] });
  }
}

const MediaHeader = z
  .strictObject({ type: z.enum(['image', 'video', 'document']), ...mediaSource })
  .superRefine(exactlyOneSource);

const ButtonsHeader = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text'), text: text(60) }),
  MediaHeader,
]);

function flagDuplicates(
  values: readonly string[],
  ctx: z.RefinementCtx,
  path: (i: number) => PropertyKey[],
  message: (value: string) => string,
) {
  const seen = new Set<string>();
  values.forEach((value, i) => {
    if (seen.has(value)) ctx.addIssue({ code: 'custom', message: message(value), path: path(i) });
    seen.add(value);
  });
}

export const OutboundText = z.strictObject({
  type: z.literal('text'),
  text: text(4096),
  previewUrl: z.boolean().optional(),
  replyTo,
});

export const OutboundButtons = z.strictObject({
  type: z.literal('buttons'),
  header: ButtonsHeader.optional(),
  body: text(1024),
  footer: text(60).optional(),
  buttons: z
    .array(z.strictObject({ id: text(256), title: text(20) }))
    .min(1, 'at least 1 button')
    .max(3, 'at most 3 buttons')
    .superRefine((buttons, ctx) => {
      flagDuplicates(
        buttons.map((b) => b.title),
        ctx,
        (i) => [i, 'title'],
        (title) => `duplicate title "${title}": button titles must be unique`,
      );
      flagDuplicates(
        buttons.map((b) => b.id),
        ctx,
        (i) => [i, 'id'],
        (id) => `duplicate id "${id}": button ids must be unique`,
      );
    }),
  replyTo,
});

const MAX_LIST_ROWS = 10;

export const OutboundList = z
  .strictObject({
    type: z.literal('list'),
    header: text(60).optional(),
    body: text(4096),
    footer: text(60).optional(),
    buttonText: text(20),
    sections: z
      .array(
        z.strictObject({
          title: text(24).optional(),
          rows: z
            .array(
              z.strictObject({
                id: text(200),
                title: text(24),
                description: z.string().max(72, 'at most 72 characters').optional(),
              }),
            )
            .min(1, 'at least 1 row'),
        }),
      )
      .min(1, 'at least 1 section')
      .max(10, 'at most 10 sections'),
    replyTo,
  })
  .superRefine((list, ctx) => {
    const rows = list.sections.flatMap((s, si) =>
      s.rows.map((row, ri) => ({ id: row.id, path: [si, 'rows', ri] })),
    );
    if (rows.length > MAX_LIST_ROWS) {
      ctx.addIssue({
        code: 'custom',
        message: `at most ${MAX_LIST_ROWS} rows in total across sections (got ${rows.length})`,
        path: ['sections'],
      });
    }
    flagDuplicates(
      rows.map((r) => r.id),
      ctx,
      (i) => ['sections', ...(rows[i]?.path ?? []), 'id'],
      (id) => `duplicate id "${id}": row ids must be unique across sections`,
    );
    if (list.sections.length > 1) {
      list.sections.forEach((section, i) => {
        if (section.title === undefined) {
          ctx.addIssue({
            code: 'custom',
            message: 'required when there is more than one section',
            path: ['sections', i, 'title'],
          });
        }
      });
    }
  });

const templateParam = z.string().min(1, 'must not be empty');

const TemplateButton = z.discriminatedUnion('subType', [
  z.strictObject({
    index: z.int().min(0, 'at least 0').max(9, 'at most 9'),
    subType: z.literal('quick_reply'),
    payload: z.string().min(1, 'must not be empty'),
  }),
  z.strictObject({
    index: z.int().min(0, 'at least 0').max(9, 'at most 9'),
    subType: z.literal('url'),
    text: templateParam,
  }),
]);

export const OutboundTemplate = z.strictObject({
  type: z.literal('template'),
  name: text(512).regex(/^[a-z0-9_]+$/, 'only lowercase letters, digits and _'),
  language: z
    .string()
    .regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'must be a language code such as en_US, es_MX or es'),
  category: z.enum(['marketing', 'utility', 'authentication']).optional(),
  header: z
    .discriminatedUnion('type', [
      z.strictObject({ type: z.literal('text'), params: z.array(templateParam) }),
      MediaHeader,
    ])
    .optional(),
  body: z
    .strictObject({
      params: z
        .array(
          z.union([
            templateParam,
            z.strictObject({ name: z.string().min(1, 'must not be empty'), value: templateParam }),
          ]),
        )
        .superRefine((params, ctx) => {
          const named = params.filter((p) => typeof p !== 'string').length;
          if (named > 0 && named < params.length) {
            ctx.addIssue({ code: 'custom', message: 'use either all positional or all named parameters' });
          }
        }),
    })
    .optional(),
  buttons: z
    .array(TemplateButton)
    .superRefine((buttons, ctx) => {
      flagDuplicates(
        buttons.map((b) => String(b.index)),
        ctx,
        (i) => [i, 'index'],
        (index) => `duplicate button index ${index}`,
      );
    })
    .optional(),
  replyTo,
});

const captionless = new Set(['audio', 'sticker']);

export const OutboundMedia = z
  .strictObject({
    type: z.literal('media'),
    kind: z.enum(['image', 'video', 'audio', 'document', 'sticker']),
    ...mediaSource,
    caption: z.string().max(1024, 'at most 1024 characters').optional(),
    filename: z.string().min(1, 'must not be empty').optional(),
    replyTo,
  })
  .superRefine((media, ctx) => {
    exactlyOneSource(media, ctx);
    if (media.caption !== undefined && captionless.has(media.kind)) {
      ctx.addIssue({
        code: 'custom',
        message: `${media.kind} messages cannot have a caption`,
        path: ['caption'],
      });
    }
    if (media.filename !== undefined && media.kind !== 'document') {
      ctx.addIssue({ code: 'custom', message: 'only documents can have a filename', path: ['filename'] });
    }
  });

export const OutboundReaction = z.strictObject({
  type: z.literal('reaction'),
  messageId: wamid,
  /** An empty string removes an earlier reaction. */
  emoji: z.string(),
  replyTo: z.never({ error: 'a reaction cannot quote a message' }).optional(),
});

export const OutboundMarkRead = z.strictObject({
  type: z.literal('markRead'),
  messageId: wamid,
  replyTo: z.never({ error: 'mark-as-read cannot quote a message' }).optional(),
});

/** What our app asks WhatsApp to send, in our own shape; `toGraphBody` turns it into Meta's JSON. */
export const OutboundMessage = z.discriminatedUnion('type', [
  OutboundText,
  OutboundButtons,
  OutboundList,
  OutboundTemplate,
  OutboundMedia,
  OutboundReaction,
  OutboundMarkRead,
]);
export type OutboundMessage = z.infer<typeof OutboundMessage>;
export type OutboundMessageType = OutboundMessage['type'];
export type OutboundMessageOf<T extends OutboundMessageType> = Extract<OutboundMessage, { type: T }>;

export interface OutboundProblem {
  /** JSONPath-like location, e.g. `$.buttons[1].title`. */
  path: string;
  message: string;
}

export type OutboundValidation =
  | { ok: true; message: OutboundMessage }
  | { ok: false; problems: OutboundProblem[] };

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    const name = String(key);
    return /^[A-Za-z_$][\w$]*$/.test(name) ? `${out}.${name}` : `${out}[${JSON.stringify(name)}]`;
  }, '$');
}

/**
 * Checks `input` against Meta's documented limits for the message kind.
 *
 * @example
 * const result = validateOutbound({ type: 'text', text: 'Hola' });
 * if (!result.ok) console.log(result.problems); // [{ path: '$.text', message: 'at most 4096 characters' }]
 */
export function validateOutbound(input: unknown): OutboundValidation {
  const result = OutboundMessage.safeParse(input, {
    error: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'required' : undefined),
  });
  if (result.success) return { ok: true, message: result.data };
  const problems = result.error.issues.flatMap((issue): OutboundProblem[] =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: 'unknown field' }))
      : [{ path: formatPath(issue.path), message: issue.message }],
  );
  return { ok: false, problems };
}
