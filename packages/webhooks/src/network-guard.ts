import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { lookup as resolveAll } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Webhook URLs are typed by users, so a delivery must not become a way to reach the machines next
 * to the app: loopback, private and carrier-grade NAT ranges, link-local (which holds the cloud
 * metadata service at 169.254.169.254 and fd00:ec2::254), multicast and reserved ranges.
 */
const forbidden = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  forbidden.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  forbidden.addSubnet(network, prefix, 'ipv6');
}

/** An IPv4 address written as IPv6 (`::ffff:127.0.0.1`) is judged as the IPv4 address it is. */
const MAPPED_V4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

export function isForbiddenAddress(address: string): boolean {
  const mapped = MAPPED_V4.exec(address)?.[1];
  if (mapped) return forbidden.check(mapped, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return forbidden.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** A URL that may not be called: the message says why, for the API answer and the delivery log. */
export class ForbiddenDestinationError extends Error {
  readonly code = 'forbidden_destination';
  constructor(host: string, address: string) {
    super(
      `${host} resolves to ${address}, a loopback, private, link-local or reserved address; ` +
        'webhooks may only call public addresses (set WEBHOOK_ALLOW_PRIVATE_NETWORKS=true to allow it)',
    );
    this.name = 'ForbiddenDestinationError';
  }
}

/** `new URL().hostname` keeps the brackets of an IPv6 literal; DNS and BlockList want it bare. */
export function bareHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/** Save-time check: every address the host resolves to now must be public. Throws ForbiddenDestinationError. */
export async function assertPublicDestination(url: URL): Promise<void> {
  const host = bareHost(url);
  const addresses = isIP(host) ? [{ address: host }] : await resolveAll(host, { all: true, verbatim: true });
  const bad = addresses.find((entry) => isForbiddenAddress(entry.address));
  if (bad) throw new ForbiddenDestinationError(host, bad.address);
}

/**
 * Send-time check, done by the very lookup the connection uses, so a DNS answer that changes
 * between a check and the connect (DNS rebinding) cannot slip through.
 */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '');
    const bad = addresses.find((entry) => isForbiddenAddress(entry.address));
    if (bad) return callback(new ForbiddenDestinationError(hostname, bad.address), '');
    const first = addresses[0];
    if (options.all) return callback(null, addresses);
    if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '');
    callback(null, first.address, first.family);
  });
};
