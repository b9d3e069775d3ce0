/** What every webhook POST carries. `timestamp` is when the event happened, not when it was sent. */
export type WebhookMessage = { type: string; timestamp: string; data: unknown };

export function messageBody(type: string, timestamp: string, data: unknown): string {
  const message: WebhookMessage = { type, timestamp, data };
  return JSON.stringify(message);
}
