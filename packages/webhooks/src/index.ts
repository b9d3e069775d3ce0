/**
 * Webhook sending, shared by the API (save-time URL check, new secrets, the Test button) and the
 * worker (deliveries): one guarded POST, one signature, one reading of the receiver's answer.
 */
export { type PostOutcome, postJson } from './http-post';
export { messageBody, type WebhookMessage } from './message';
export { assertPublicDestination, ForbiddenDestinationError } from './network-guard';
export { type MessageFate, messageFate } from './retry-schedule';
export { type SignedMessage, sendSigned } from './send-signed';
export { generateSecret, signatureHeaders } from './signature';
export { sendTestEvent, type TestTarget } from './test-send';
export { attemptError, judge, type Verdict } from './verdict';
