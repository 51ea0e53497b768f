import type { NodeLabels } from '@switchboard/flow-schema';

/** Keeps each node file's bilingual labels on one readable line each. */
export function labels(
  en: [title: string, description: string],
  es: [title: string, description: string],
): NodeLabels {
  return { en: { title: en[0], description: en[1] }, es: { title: es[0], description: es[1] } };
}
