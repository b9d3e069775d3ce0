import type { SecretBox } from '../secrets/secret-box';

/**
 * The one place endpoint signing secrets are sealed and opened. The endpoint id is the value's
 * context, so a secret copied onto another endpoint's row does not open there; both columns share
 * it, so a rotation can move `secret` into `previous_secret` in SQL.
 */
const contextOf = (endpointId: string) => `webhook_endpoints:${endpointId}`;

export const sealEndpointSecret = (box: SecretBox, endpointId: string, secret: string): string =>
  box.seal(secret, contextOf(endpointId));

export const openEndpointSecret = (box: SecretBox, endpointId: string, stored: string): string =>
  box.open(stored, contextOf(endpointId));
