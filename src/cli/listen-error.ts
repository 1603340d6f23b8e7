import { invalidArgument, type KubetallyError } from '../domain/errors.js';

/**
 * A failure to listen that the address given explains (the port is in use, not allowed, or the
 * host is not this machine's), as an error naming the address and the option that fixes it;
 * undefined for any other failure.
 */
export function listenError(err: unknown, host: string, port: number): KubetallyError | undefined {
  const code = (err as { code?: string }).code;
  if (code !== 'EADDRINUSE' && code !== 'EACCES' && code !== 'EADDRNOTAVAIL') return undefined;
  return invalidArgument(
    `cannot listen on ${host}:${port}: ${code === 'EADDRINUSE' ? 'the port is in use' : (err as Error).message}`,
    code === 'EADDRINUSE'
      ? 'stop what uses it, or choose another port with --port'
      : 'choose another --host or --port',
  );
}
