import { useMemo } from 'react';
import { type Lookup, type TemplateInfo, useTemplates } from '../../api/lookups';
import { approvedTemplates } from '../../templates/node-params';
import { useForm } from '../form-context';
import type { Path } from '../model/paths';
import { matchTemplate, type TemplateMatch } from '../model/pickers';

/** The params object holding this field (`params`, or `params.template` for send-and-wait). */
export function siblings(params: Record<string, unknown>, path: Path): Record<string, unknown> {
  let at: unknown = params;
  for (const part of path.slice(0, -1)) at = (at as Record<string | number, unknown> | undefined)?.[part];
  return at && typeof at === 'object' ? (at as Record<string, unknown>) : {};
}

const text = (v: unknown) => (typeof v === 'string' ? v : '');
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * The template a template node's fields name, read from the account's list: the fields around `path`
 * (name, language, channel, the parameter lists), the approved templates of the node's channel to
 * offer, and what the name and language match.
 */
export function useNodeTemplate(path: Path): {
  lookup: Lookup<TemplateInfo>;
  around: Record<string, unknown>;
  approved: TemplateInfo[];
  match: TemplateMatch<TemplateInfo>;
  headerParams: unknown[];
  bodyParams: unknown[];
} {
  const form = useForm();
  const lookup = useTemplates();
  const around = siblings(form.params, path);
  const channel = text(around.channel);
  const approved = useMemo(() => approvedTemplates(lookup.items, channel), [lookup.items, channel]);
  const bodyParams = list(around.bodyParams);
  // Matched against the channel's templates (all statuses), so "not approved" is still said.
  const channelOnly = channel.trim() && !channel.includes('{{') ? channel.trim() : null;
  const ofChannel =
    lookup.items && channelOnly ? lookup.items.filter((t) => t.channelId === channelOnly) : lookup.items;
  const match = matchTemplate(ofChannel, text(around.name), text(around.language), bodyParams.length);
  return { lookup, around, approved, match, headerParams: list(around.headerParams), bodyParams };
}
