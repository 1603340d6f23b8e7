/**
 * Where an uploaded kubeconfig may not send kubetally. Whoever may upload a kubeconfig chooses
 * the address kubetally connects to, and `/test` tells them what answered: without a limit, a
 * tenant could make kubetally read the cloud metadata service of the host it runs on
 * (169.254.169.254) or probe its private network. Kubeconfigs of the user's own (`top`, files,
 * in-cluster) are not limited: they go where kubectl would.
 *
 * The networks come from `KUBETALLY_BLOCKED_NETWORKS` (CIDRs, comma-separated; empty blocks
 * nothing); the default is the link-local ranges, where metadata services answer and no API
 * server does. Names are checked as they resolve, at every connection, so a name that later
 * resolves elsewhere is still caught.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { KubetallyError, invalidArgument } from '../domain/errors.js';

export const DEFAULT_BLOCKED_NETWORKS = '169.254.0.0/16,fe80::/10';

export interface BlockedNetworks {
  list: BlockList;
  /** As configured, for messages. */
  text: string;
}

/** The blocked networks of `KUBETALLY_BLOCKED_NETWORKS`; an entry that is no CIDR is an error naming it. */
export function blockedNetworks(env: NodeJS.ProcessEnv = process.env): BlockedNetworks {
  const text = (env.KUBETALLY_BLOCKED_NETWORKS ?? DEFAULT_BLOCKED_NETWORKS).trim();
  const list = new BlockList();
  for (const entry of text.split(',').map((e) => e.trim())) {
    if (entry === '') continue;
    const [address = '', bits, ...rest] = entry.split('/');
    const family = isIP(address);
    const prefix = Number(bits);
    if (
      family === 0 ||
      rest.length > 0 ||
      bits === undefined ||
      !/^\d+$/.test(bits) ||
      prefix > (family === 4 ? 32 : 128)
    ) {
      throw invalidArgument(
        `KUBETALLY_BLOCKED_NETWORKS: "${entry}" is not a network in CIDR form`,
        `list networks such as ${DEFAULT_BLOCKED_NETWORKS} (comma-separated), or set it empty to block none`,
      );
    }
    list.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
  }
  return { list, text };
}

function blockedError(
  host: string,
  address: string,
  blocked: BlockedNetworks,
  what: 'server' | 'proxy-url' = 'server',
): KubetallyError {
  const where = host === address ? `${address} is` : `${host} resolves to ${address},`;
  return new KubetallyError(
    'INVALID_KUBECONFIG',
    `the kubeconfig's ${what} ${where} in a network uploaded kubeconfigs may not reach (${blocked.text})`,
    {
      hint: "give the API server's own address; the operator of kubetally sets the blocked networks with KUBETALLY_BLOCKED_NETWORKS",
    },
  );
}

/**
 * The unspecified addresses (0.0.0.0/8, `::` and its IPv4-mapped form): a connection to one
 * reaches this host, as 127.0.0.1 or ::1 would, so they are blocked wherever loopback is.
 */
const UNSPECIFIED = new BlockList();
UNSPECIFIED.addSubnet('0.0.0.0', 8, 'ipv4');
UNSPECIFIED.addAddress('::', 'ipv6');

function isBlocked(address: string, blocked: BlockedNetworks): boolean {
  const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  if (blocked.list.check(address, family)) return true;
  return (
    UNSPECIFIED.check(address, family) &&
    (blocked.list.check('127.0.0.1', 'ipv4') || blocked.list.check('::1', 'ipv6'))
  );
}

/**
 * The host of a kubeconfig's URL, brackets off; undefined when it is no URL (refused as such
 * elsewhere). A URL without a host (`file:///x` as a proxy-url) is connected to as `localhost`
 * by the proxy agents, so it is checked as that.
 */
function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '') || 'localhost';
  } catch {
    return undefined;
  }
}

/** Refuses a server URL whose host is an address in a blocked network (a name is checked as it resolves). */
export function checkServerAddress(server: string, blocked: BlockedNetworks): void {
  const host = hostOf(server);
  if (host !== undefined && isIP(host) !== 0 && isBlocked(host, blocked))
    throw blockedError(host, host, blocked);
}

/** Resolves a proxy-url's host as its agent will, and refuses it when any address is blocked. */
export async function checkProxyAddress(proxy: string, blocked: BlockedNetworks): Promise<void> {
  const host = hostOf(proxy);
  if (host === undefined) return;
  const addresses = await new Promise<LookupAddress[]>((resolve) =>
    // A name that does not resolve fails at the request, with the network's words for it.
    dnsLookup(host, { all: true }, (err, found) => resolve(err ? [] : found)),
  );
  const bad = addresses.find((a) => isBlocked(a.address, blocked));
  if (bad !== undefined) throw blockedError(host, bad.address, blocked, 'proxy-url');
}

/** A `lookup` for request options that fails the connection when a name resolves into a blocked network. */
export function guardedLookup(blocked: BlockedNetworks): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return (callback as (e: Error) => void)(err);
      const bad = addresses.find((a) => isBlocked(a.address, blocked));
      if (bad !== undefined)
        return (callback as (e: Error) => void)(blockedError(hostname, bad.address, blocked));
      if (options.all === true) return (callback as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    });
  };
}
