export { Desk } from './desk.js';
export { badField, notFound, RoutingError } from './errors.js';
export { Escalations } from './escalations.js';
export { ROUTING_POLL_MS, startRoutingLoop } from './loop.js';
export { answer, sendFieldError, sendNotFound } from './respond.js';
export { type Author, type NoteData, Routing, type RoutingDeps, type TickResult } from './routing.js';
export { slackEscalationText } from './slack-message.js';
export { conversationView, teamView } from './views.js';
