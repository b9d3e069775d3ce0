import { errors } from '@catalog/domain';
import { assertPublicDestination, ForbiddenDestinationError } from '@catalog/webhooks';

/**
 * Save-time half of the SSRF guard (the worker checks again at send time, on the address it
 * connects to). Skipped entirely when private networks are allowed.
 */
export async function checkDestination(url: string, allowPrivateNetworks: boolean): Promise<void> {
  if (allowPrivateNetworks) return;
  try {
    await assertPublicDestination(new URL(url));
  } catch (error: unknown) {
    const message =
      error instanceof ForbiddenDestinationError
        ? error.message
        : `the host ${new URL(url).hostname} could not be resolved`;
    throw errors.validation(`Invalid body parameter "url": ${message}`, { issues: [{ parameter: 'url', message }] });
  }
}
