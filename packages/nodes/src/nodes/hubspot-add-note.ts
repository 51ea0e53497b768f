import { defineNode, emit } from '@switchboard/engine';
import { z } from 'zod';
import { customerText } from '../customer.js';
import { errorResult } from '../http-call.js';
import {
  ASSOCIATION,
  associateWith,
  contactIdParam,
  hubspot,
  hubspotCredential,
  idText,
  objectOf,
  unexpected,
} from '../hubspot.js';
import { labels } from '../labels.js';

/**
 * Adds a note to a contact's timeline (POST /crm/v3/objects/notes with `hs_timestamp` and
 * `hs_note_body`, associated note → contact, type 202: https://developers.hubspot.com/docs/api/crm/notes).
 */
export const hubspotAddNote = defineNode({
  type: 'hubspot.addNote',
  category: 'crm',
  sideEffect: true,
  labels: labels(
    ['HubSpot: add note', 'Adds a note to the contact’s timeline in HubSpot.'],
    ['HubSpot: añadir nota', 'Añade una nota a la cronología del contacto en HubSpot.'],
  ),
  params: z.strictObject({
    credential: hubspotCredential,
    contactId: contactIdParam.describe(
      'HubSpot contact id; default: the one "HubSpot: find contact" found ({{ vars.hubspot.id }})',
    ),
    note: z
      .string()
      .max(65_536, 'HubSpot keeps at most 65536 characters')
      .optional()
      .describe('Default: the customer’s message'),
  }),
  outputs: ['out', 'error'],
  execute: async (ctx) => {
    const p = ctx.params;
    const contactId = idText(p.contactId);
    if (!contactId)
      return errorResult({
        reason: 'missing_contact_id',
        message: 'contactId: no HubSpot contact id (did "HubSpot: find contact" run before and find one?)',
      });
    const body = p.note?.trim() || customerText(ctx.input, ctx.trigger);
    if (!body)
      return errorResult({
        reason: 'empty_note',
        message: 'note: nothing to write (no text and no customer message)',
      });
    const created = await hubspot(ctx, p.credential, 'POST', '/crm/v3/objects/notes', {
      properties: { hs_timestamp: ctx.now().toISOString(), hs_note_body: body },
      associations: associateWith(contactId, ASSOCIATION.noteToContact),
    });
    if (!created.ok) return created.result;
    const note = objectOf(created.response.body);
    if (!note) return unexpected(created.response, 'the note’s id');
    return emit('out', { id: note.id });
  },
});
