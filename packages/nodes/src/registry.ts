import { type NodeDefinition, NodeRegistry } from '@switchboard/engine';
import { askQuestion } from './nodes/ask-question.js';
import { assignNode } from './nodes/assign.js';
import { bitrix24AddContact } from './nodes/bitrix24-add-contact.js';
import { bitrix24AddLead } from './nodes/bitrix24-add-lead.js';
import { bitrix24FindContact } from './nodes/bitrix24-find-contact.js';
import { businessHours } from './nodes/business-hours.js';
import { callFlow } from './nodes/call-flow.js';
import { codeNode } from './nodes/code.js';
import { contactCondition } from './nodes/contact-condition.js';
import { delay } from './nodes/delay.js';
import { endNode } from './nodes/end.js';
import { expressionCondition } from './nodes/expression-condition.js';
import { createHelpdeskTicket } from './nodes/helpdesk-ticket.js';
import { httpRequest } from './nodes/http-request.js';
import { hubspotAddNote } from './nodes/hubspot-add-note.js';
import { hubspotCreateTicket } from './nodes/hubspot-create-ticket.js';
import { hubspotFindContact } from './nodes/hubspot-find-contact.js';
import { hubspotUpsertContact } from './nodes/hubspot-upsert-contact.js';
import { ifCondition } from './nodes/if-condition.js';
import { keywordCondition } from './nodes/keyword-condition.js';
import { logAction } from './nodes/log-action.js';
import { manualTrigger } from './nodes/manual-trigger.js';
import { markRead, react } from './nodes/mark-read-react.js';
import { merge } from './nodes/merge.js';
import { notifySlack } from './nodes/notify-slack.js';
import { replyCondition } from './nodes/reply-condition.js';
import { routeNode } from './nodes/route.js';
import { scheduleTrigger } from './nodes/schedule-trigger.js';
import { sendAndWait } from './nodes/send-and-wait.js';
import { sendButtons } from './nodes/send-buttons.js';
import { sendList } from './nodes/send-list.js';
import { sendMedia } from './nodes/send-media.js';
import { sendTemplate } from './nodes/send-template.js';
import { sendText } from './nodes/send-text.js';
import { setVariable } from './nodes/set-variable.js';
import { switchCondition } from './nodes/switch-condition.js';
import { updateContact } from './nodes/update-contact.js';
import { waitForEvent } from './nodes/wait-for-event.js';
import { webhookTrigger } from './nodes/webhook-trigger.js';
import { whatsappConsentTrigger, whatsappStatusTrigger } from './nodes/whatsapp-event-triggers.js';
import { whatsappMessageTrigger } from './nodes/whatsapp-message-trigger.js';

/** Every built-in node type, in palette order. Adding a node means adding it here. */
export const builtinNodes: readonly NodeDefinition[] = [
  manualTrigger,
  whatsappMessageTrigger,
  whatsappStatusTrigger,
  whatsappConsentTrigger,
  webhookTrigger,
  scheduleTrigger,
  ifCondition,
  expressionCondition,
  switchCondition,
  keywordCondition,
  replyCondition,
  businessHours,
  contactCondition,
  sendText,
  sendButtons,
  sendList,
  sendTemplate,
  sendMedia,
  sendAndWait,
  askQuestion,
  markRead,
  react,
  routeNode,
  assignNode,
  notifySlack,
  createHelpdeskTicket,
  hubspotFindContact,
  hubspotUpsertContact,
  hubspotCreateTicket,
  hubspotAddNote,
  bitrix24FindContact,
  bitrix24AddContact,
  bitrix24AddLead,
  setVariable,
  updateContact,
  httpRequest,
  codeNode,
  logAction,
  delay,
  waitForEvent,
  callFlow,
  merge,
  endNode,
] as readonly NodeDefinition[];

export function createRegistry(extra: readonly NodeDefinition[] = []): NodeRegistry {
  return new NodeRegistry([...builtinNodes, ...extra]);
}
