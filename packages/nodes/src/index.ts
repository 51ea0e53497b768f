export { askQuestion } from './nodes/ask-question.js';
export { businessHours } from './nodes/business-hours.js';
export { codeNode } from './nodes/code.js';
export { contactCondition } from './nodes/contact-condition.js';
export { delay } from './nodes/delay.js';
export { ifCondition } from './nodes/if-condition.js';
export { keywordCondition } from './nodes/keyword-condition.js';
export { logAction } from './nodes/log-action.js';
export { manualTrigger } from './nodes/manual-trigger.js';
export { markRead, react } from './nodes/mark-read-react.js';
export { merge } from './nodes/merge.js';
export { sendAndWait } from './nodes/send-and-wait.js';
export { sendButtons } from './nodes/send-buttons.js';
export { sendList } from './nodes/send-list.js';
export { sendMedia } from './nodes/send-media.js';
export { sendTemplate } from './nodes/send-template.js';
export { sendText } from './nodes/send-text.js';
export { setVariable } from './nodes/set-variable.js';
export { switchCondition } from './nodes/switch-condition.js';
export { updateContact } from './nodes/update-contact.js';
export { webhookTrigger } from './nodes/webhook-trigger.js';
export { whatsappConsentTrigger, whatsappStatusTrigger } from './nodes/whatsapp-event-triggers.js';
export { whatsappMessageTrigger } from './nodes/whatsapp-message-trigger.js';
export { builtinNodes, createRegistry } from './registry.js';
export type {
  CodeService,
  ContactsService,
  ContactView,
  OutgoingMessage,
  SendOutcome,
  WhatsAppService,
} from './services.js';
export { replyKey } from './services.js';
