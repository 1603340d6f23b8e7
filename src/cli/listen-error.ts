import { invalidArgument, type KubetallyError } from '../domain/errors.js';

/**
 * A failure to listen that the address given explains (the port is in use, not allowed, or the
 * host is not this machine's or no host at all), as an error naming the address and the option that fixes it;
 * undefined for any other failure.
 */
export function listenError(err: unknown, host: string, port: number): KubetallyError | undefined {
  const code = (err as { code?: string }).code;
  // A --host that names no address (a typo, 999.1.1.1) fails in the resolver, before any bind.
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return invalidArgument(
      `cannot listen on ${host}:${port}: ${host} is not an address or a known host name`,
      'give --host an address of this machine: 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)',
    );
  }
  if (code !== 'EADDRINUSE' && code !== 'EACCES' && code !== 'EADDRNOTAVAIL') return undefined;
  return invalidArgument(
    `cannot listen on ${host}:${port}: ${code === 'EADDRINUSE' ? 'the port is in use' : (err as Error).message}`,
    code === 'EADDRINUSE'
      ? 'stop what uses it, or choose another port with --port'
      : 'choose another --host or --port',
  );
}
