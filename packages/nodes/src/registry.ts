import { type NodeDefinition, NodeRegistry } from '@switchboard/engine';
import { askQuestion } from './nodes/ask-question.js';
import { businessHours } from './nodes/business-hours.js';
import { codeNode } from './nodes/code.js';
import { contactCondition } from './nodes/contact-condition.js';
import { delay } from './nodes/delay.js';
import { ifCondition } from './nodes/if-condition.js';
import { keywordCondition } from './nodes/keyword-condition.js';
import { logAction } from './nodes/log-action.js';
import { manualTrigger } from './nodes/manual-trigger.js';
import { markRead, react } from './nodes/mark-read-react.js';
import { merge } from './nodes/merge.js';
import { sendAndWait } from './nodes/send-and-wait.js';
import { sendButtons } from './nodes/send-buttons.js';
import { sendList } from './nodes/send-list.js';
import { sendMedia } from './nodes/send-media.js';
import { sendTemplate } from './nodes/send-template.js';
import { sendText } from './nodes/send-text.js';
import { setVariable } from './nodes/set-variable.js';
import { switchCondition } from './nodes/switch-condition.js';
import { updateContact } from './nodes/update-contact.js';
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
  ifCondition,
  switchCondition,
  keywordCondition,
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
  setVariable,
  updateContact,
  codeNode,
  logAction,
  delay,
  merge,
] as readonly NodeDefinition[];

export function createRegistry(extra: readonly NodeDefinition[] = []): NodeRegistry {
  return new NodeRegistry([...builtinNodes, ...extra]);
}
