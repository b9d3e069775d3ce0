import type { WebhookSettings } from '@catalog/domain';
import { type PostOutcome, postJson } from './http-post';
import { signatureHeaders } from './signature';

export type SignedMessage = { url: string; messageId: string; body: string; secrets: string[] };

/** Signs at send time, so each retry carries a fresh `webhook-timestamp` under the same `webhook-id`. */
export function sendSigned(message: SignedMessage, settings: WebhookSettings): Promise<PostOutcome> {
  const headers = signatureHeaders(message.messageId, message.body, message.secrets, new Date());
  return postJson(message.url, message.body, headers, settings);
}
