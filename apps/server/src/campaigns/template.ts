import type { Contact, Repositories } from '@switchboard/db';
import { checkTemplateSend, type OutboundMessageOf, templateSlots } from '@switchboard/whatsapp';
import { asMessageTemplate } from '../templates/service.js';
import { placeholderProblems, renderParam } from './params.js';

/** A campaign's template as the API takes it: parameter values may hold per-contact placeholders. */
export interface CampaignTemplateSpec {
  name: string;
  language: string;
  header?: { params: string[] } | undefined;
  body?: { params: string[] } | undefined;
  buttons?: Array<{ index: number; subType: 'quick_reply'; payload: string }> | undefined;
}

/** What is stored: the spec, Meta's category, and the body's parameter names for NAMED templates. */
export interface StoredCampaignTemplate extends CampaignTemplateSpec {
  category: 'marketing' | 'utility' | 'authentication';
  bodyNames: string[] | null;
}

export type Problem = { path: string; message: string };

/**
 * Checks a template spec against the channel's synced templates (known, APPROVED, exactly its
 * parameters) and its placeholders; on success, what to store. Placeholders are checked with a stand-in
 * value, since each contact renders its own.
 */
export async function resolveCampaignTemplate(
  repos: Pick<Repositories, 'templates'>,
  channelId: string,
  spec: CampaignTemplateSpec,
  path = '$.body.template',
): Promise<{ ok: true; template: StoredCampaignTemplate } | { ok: false; problems: Problem[] }> {
  const problems: Problem[] = [];
  const each = (list: string[] | undefined, where: string) =>
    (list ?? []).forEach((value, i) => {
      for (const message of placeholderProblems(value))
        problems.push({ path: `${path}.${where}[${i}]`, message });
    });
  each(spec.header?.params, 'header.params');
  each(spec.body?.params, 'body.params');
  if (problems.length > 0) return { ok: false, problems };
  const state = await repos.templates.syncState(channelId);
  if (!state?.syncedAt)
    return {
      ok: false,
      problems: [
        {
          path: `${path}.name`,
          message: `the templates of channel "${channelId}" were never synced: a campaign needs to know its template (sync them first)`,
        },
      ],
    };
  const rows = (await repos.templates.list({ channelId, search: spec.name })).filter(
    (r) => r.name === spec.name,
  );
  const templates = rows.map(asMessageTemplate);
  const match = templates.find((t) => t.language === spec.language);
  const bodyNames = match && match.parameter_format === 'NAMED' ? templateSlots(match).body : null;
  const sample = buildMessage({ ...spec, category: 'utility', bodyNames }, () => 'x');
  const check = checkTemplateSend(templates, sample);
  if (!check.ok)
    return {
      ok: false,
      problems: check.problems.map((p) => ({ path: `${path}${p.path.slice(1)}`, message: p.message })),
    };
  const lower = check.template.category.toLowerCase();
  // An unknown category is treated as marketing: the strictest consent rules apply.
  const category = lower === 'utility' || lower === 'authentication' ? lower : 'marketing';
  return { ok: true, template: { ...spec, category, bodyNames } };
}

/** The template message with each value given by `render` (null: a placeholder had nothing). */
function buildMessage(
  t: StoredCampaignTemplate,
  render: (value: string) => string | null,
): OutboundMessageOf<'template'> {
  const all = (list: string[]) => list.map((v) => render(v) ?? '');
  const body = t.body ? all(t.body.params) : undefined;
  return {
    type: 'template',
    name: t.name,
    language: t.language,
    category: t.category,
    ...(t.header ? { header: { type: 'text' as const, params: all(t.header.params) } } : {}),
    ...(body
      ? {
          body: {
            params: t.bodyNames
              ? body.map((value, i) => ({ name: t.bodyNames![i] ?? String(i + 1), value }))
              : body,
          },
        }
      : {}),
    ...(t.buttons ? { buttons: t.buttons.map((b) => ({ ...b })) } : {}),
  } as OutboundMessageOf<'template'>;
}

/** The message for one contact, or null when one of its parameters renders empty (missing_parameter). */
export function messageFor(
  t: StoredCampaignTemplate,
  contact: Pick<Contact, 'name' | 'waId' | 'phone' | 'country' | 'attributes'>,
): OutboundMessageOf<'template'> | null {
  let missing = false;
  const message = buildMessage(t, (value) => {
    const rendered = renderParam(value, contact);
    if (rendered === null) missing = true;
    return rendered;
  });
  return missing ? null : message;
}
