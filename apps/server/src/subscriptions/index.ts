export {
  attemptDelivery,
  DEFAULT_RETRY,
  DELIVERY_TIMEOUT_MS,
  type RetrySettings,
  retryDelayMs,
  startSubscriptionDelivery,
} from './delivery.js';
export {
  eventBody,
  type OutgoingEvent,
  SUBSCRIPTION_EVENT_TYPES,
  SubscriptionEvents,
  type SubscriptionEventType,
} from './events.js';
export {
  type DeliveryView,
  InvalidSubscriptionUrl,
  SubscriptionService,
  type SubscriptionView,
} from './service.js';
export { signatureHeader, verifySignature } from './signature.js';
export { conversationEvent, runFailedEvent, tapConversations, whatsappEvent } from './sources.js';
