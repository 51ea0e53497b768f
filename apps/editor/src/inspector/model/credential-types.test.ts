import { describe, expect, it } from 'vitest';
import { credentialTypesFor } from './credential-types';
import { hintFor } from './field-hints';

describe('credentialTypesFor', () => {
  it.each([
    ['hubspot.findContact', 'credential', ['hubspot']],
    ['hubspot.upsertContact', 'credential', ['hubspot']],
    ['hubspot.createTicket', 'credential', ['hubspot']],
    ['hubspot.addNote', 'credential', ['hubspot']],
    ['bitrix24.findContact', 'credential', ['bitrix24']],
    ['bitrix24.addContact', 'credential', ['bitrix24']],
    ['bitrix24.addLead', 'credential', ['bitrix24']],
    ['notify.slack', 'credential', ['slack']],
    ['routing.assign', 'slackCredential', ['slack']],
    ['helpdesk.createTicket', 'credential', ['httpBasic']],
    ['http.request', 'credential', ['httpBearer', 'httpBasic', 'httpHeader']],
  ])('%s.%s accepts %j', (nodeType, key, types) => {
    expect(credentialTypesFor(nodeType, key)).toEqual(types);
  });

  it('covers HubSpot and Bitrix24 nodes added later by their prefix', () => {
    expect(credentialTypesFor('hubspot.createDeal', 'credential')).toEqual(['hubspot']);
    expect(credentialTypesFor('bitrix24.addDeal', 'credential')).toEqual(['bitrix24']);
  });

  it('does not know other node types (their picker lists every credential) nor other fields', () => {
    expect(credentialTypesFor('acme.sync', 'credential')).toBeNull();
    expect(credentialTypesFor('hubspot.findContact', 'phone')).toBeNull();
    // "hubspotx." is not a HubSpot node.
    expect(credentialTypesFor('hubspotx.find', 'credential')).toBeNull();
  });

  it('gives every credential field the picker, in any node type', () => {
    expect(hintFor('hubspot.findContact', 'credential', 'credential').format).toBe('credential');
    expect(hintFor('routing.assign', 'slackCredential', 'slackCredential').format).toBe('credential');
    expect(hintFor('acme.sync', 'credential', 'credential').format).toBe('credential');
  });
});
