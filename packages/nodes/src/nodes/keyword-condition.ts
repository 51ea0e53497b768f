import { defineNode, emit } from '@switchboard/engine';
import { z } from 'zod';
import { labels } from '../labels.js';
import { keywordMatches } from '../text-match.js';

/** Routes on words in a message, case- and accent-insensitive ("facturación" = "facturacion"). */
export const keywordCondition = defineNode({
  type: 'condition.keyword',
  category: 'condition',
  labels: labels(
    ['Keyword match', 'Checks a text for keywords, e.g. "precio, price" or "factura, invoice".'],
    ['Palabra clave', 'Busca palabras clave en un texto, p. ej. "precio, price" o "factura, invoice".'],
  ),
  params: z.strictObject({
    text: z.string().default('{{ trigger.message.text }}').describe('Text to look in'),
    keywords: z.array(z.string().min(1)).min(1, 'add at least one keyword'),
    mode: z.enum(['any', 'all']).default('any'),
    match: z.enum(['word', 'contains']).default('word').describe('Whole words, or anywhere in the text'),
  }),
  outputs: ['match', 'noMatch'],
  execute: (ctx) => emit(keywordMatches(ctx.params) ? 'match' : 'noMatch', ctx.input),
});
