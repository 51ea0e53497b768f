export { type CronSpec, cronProblem, latestOccurrence, nextOccurrence } from './cron.js';
export { askQuestion } from './nodes/ask-question.js';
export { businessHours } from './nodes/business-hours.js';
export { callFlow } from './nodes/call-flow.js';
export { codeNode } from './nodes/code.js';
export { contactCondition } from './nodes/contact-condition.js';
export { delay } from './nodes/delay.js';
export { endNode } from './nodes/end.js';
export { ifCondition } from './nodes/if-condition.js';
export { keywordCondition } from './nodes/keyword-condition.js';
export { logAction } from './nodes/log-action.js';
export { manualTrigger } from './nodes/manual-trigger.js';
export { markRead, react } from './nodes/mark-read-react.js';
export { merge } from './nodes/merge.js';
export { replyCondition, replyIdOf } from './nodes/reply-condition.js';
export {
  type Schedule,
  scheduleOf,
  schedulePayload,
  scheduleTrigger,
} from './nodes/schedule-trigger.js';
export { sendAndWait } from './nodes/send-and-wait.js';
export { sendButtons } from './nodes/send-buttons.js';
export { sendList } from './nodes/send-list.js';
export { sendMedia } from './nodes/send-media.js';
export { sendTemplate } from './nodes/send-template.js';
export { sendText } from './nodes/send-text.js';
export { setVariable } from './nodes/set-variable.js';
export { switchCondition } from './nodes/switch-condition.js';
export { updateContact } from './nodes/update-contact.js';
export { waitForEvent } from './nodes/wait-for-event.js';
export { webhookTrigger } from './nodes/webhook-trigger.js';
export { whatsappConsentTrigger, whatsappStatusTrigger } from './nodes/whatsapp-event-triggers.js';
export { whatsappMessageTrigger } from './nodes/whatsapp-message-trigger.js';
export { builtinNodes, createRegistry } from './registry.js';
export type {
  CodeService,
  ContactsService,
  ContactView,
  FlowsService,
  HooksService,
  MessageStatusView,
  OutgoingMessage,
  RunOutcomeView,
  SendOutcome,
  StartFlowOutcome,
  WhatsAppService,
} from './services.js';
export { replyKey } from './services.js';
export {
  eventsSatisfiedBy,
  FAILED_STATUSES,
  hookKey,
  hookMatches,
  type MessageEvent,
  parseHookKey,
  runFinishedKey,
  statusKey,
} from './wait-keys.js';
