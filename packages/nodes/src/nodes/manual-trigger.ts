import { defineNode, emit } from '@switchboard/engine';
import { z } from 'zod';
import { labels } from '../labels.js';

/** Starts a run from the API, the CLI or the editor's test button, with any JSON payload. */
export const manualTrigger = defineNode({
  type: 'trigger.manual',
  category: 'trigger',
  trigger: true,
  labels: labels(
    ['Manual trigger', 'Starts the flow by hand or from the API with a test payload.'],
    ['Disparador manual', 'Inicia el flujo a mano o desde la API con datos de prueba.'],
  ),
  params: z.strictObject({
    /** Shown in the editor as the payload used by "Test". */
    samplePayload: z.unknown().optional().describe('Example payload for tests'),
  }),
  execute: (ctx) => emit('out', ctx.input),
});
