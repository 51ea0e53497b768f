export {
  type AgentLoad,
  isTeamOpen,
  nextOpening,
  pickAgent,
  priorityRank,
  type TeamHours,
} from './assignment.js';
export { type CronSpec, cronProblem, latestOccurrence, nextOccurrence } from './cron.js';
export { askQuestion } from './nodes/ask-question.js';
export { assignNode } from './nodes/assign.js';
export { bitrix24AddContact } from './nodes/bitrix24-add-contact.js';
export { bitrix24AddLead } from './nodes/bitrix24-add-lead.js';
export { bitrix24FindContact } from './nodes/bitrix24-find-contact.js';
export { businessHours } from './nodes/business-hours.js';
export { callFlow } from './nodes/call-flow.js';
export { codeNode } from './nodes/code.js';
export { contactCondition } from './nodes/contact-condition.js';
export { delay } from './nodes/delay.js';
export { endNode } from './nodes/end.js';
export { createHelpdeskTicket } from './nodes/helpdesk-ticket.js';
export { httpRequest } from './nodes/http-request.js';
export { hubspotAddNote } from './nodes/hubspot-add-note.js';
export { hubspotCreateTicket } from './nodes/hubspot-create-ticket.js';
export { hubspotFindContact } from './nodes/hubspot-find-contact.js';
export { hubspotUpsertContact } from './nodes/hubspot-upsert-contact.js';
export { ifCondition } from './nodes/if-condition.js';
export { keywordCondition } from './nodes/keyword-condition.js';
export { logAction } from './nodes/log-action.js';
export { manualTrigger } from './nodes/manual-trigger.js';
export { markRead, react } from './nodes/mark-read-react.js';
export { merge } from './nodes/merge.js';
export { notifySlack } from './nodes/notify-slack.js';
export { replyCondition, replyIdOf } from './nodes/reply-condition.js';
export { routeNode } from './nodes/route.js';
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
export { type PriorityMode, priorityFor, URGENT_KEYWORDS, VIP_VALUES } from './priority.js';
export { builtinNodes, createRegistry } from './registry.js';
export type {
  AssignOutcome,
  AssignRequest,
  AssignStrategy,
  Escalation,
  HttpMethod,
  HttpOutcome,
  HttpRequest,
  HttpService,
  OpeningInterval,
  Priority,
  RoutingService,
  TeamView,
} from './routing-services.js';
export { PRIORITIES } from './routing-services.js';
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
export { escapeMrkdwn, slackLink } from './slack-mrkdwn.js';
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
