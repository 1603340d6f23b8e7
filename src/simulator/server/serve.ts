/** Serves one World over HTTP(S) with a clock, faults, a token and a kubeconfig. */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { invalidArgument } from '../../domain/errors.js';
import { fileErrorWords } from '../../domain/file-error.js';
import type { World } from '../world.js';
import { createClock, type ClockMode, type SimClock } from './clock.js';
import { Faults } from './faults.js';
import { createHandler } from './http-handler.js';
import { Watches } from './watch.js';
import { buildKubeconfig } from './kubeconfig.js';
import { generateTls } from './tls.js';

export interface ServeOptions {
  port?: number;
  host?: string;
  clock: ClockMode;
  plainHttp?: boolean;
  token?: string;
  writeKubeconfig?: string;
}

export interface SimulatorHandle {
  /** `https://127.0.0.1:PORT` (or http:// with plainHttp). */
  url: string;
  token: string;
  /** The generated CA (absent with plainHttp). */
  caPem?: string;
  /** A kubeconfig (YAML) reaching this simulator with its token. */
  kubeconfig: string;
  world: World;
  clock: SimClock;
  faults: Faults;
  close(): Promise<void>;
}

export async function serveWorld(world: World, opts: ServeOptions): Promise<SimulatorHandle> {
  const clock = createClock(opts.clock, world.scenario.start);
  const faults = new Faults(world.scenario.seed);
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const host = opts.host ?? '127.0.0.1';
  const tls = opts.plainHttp === true ? undefined : generateTls();

  const watches = new Watches(world, clock);
  // kubectl sends no credentials over plain http: without TLS, requests that carry none are let in
  // (as an API server's anonymous user with RBAC for it); a wrong token is still refused.
  const ctx = { world, clock, faults, token, serverAddress: '', watches, anonymous: tls === undefined };
  const handler = createHandler(ctx);
  const server =
    tls === undefined
      ? http.createServer(handler)
      : https.createServer({ key: tls.keyPem, cert: tls.certPem }, handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  ctx.serverAddress = `${hostPart}:${port}`;
  const url = `${tls === undefined ? 'http' : 'https'}://${hostPart}:${port}`;
  const kubeconfig = buildKubeconfig({
    server: url,
    token,
    ...(tls === undefined ? {} : { caPem: tls.caPem }),
  });
  const close = () =>
    new Promise<void>((resolve) => {
      watches.close();
      server.close(() => resolve());
      server.closeAllConnections();
    });
  if (opts.writeKubeconfig !== undefined) {
    // The server listens already: a kubeconfig that cannot be written closes it again, or the
    // process that asked would neither serve (no kubeconfig) nor exit.
    await writeKubeconfig(opts.writeKubeconfig, kubeconfig).catch(async (err: unknown) => {
      await close();
      throw err;
    });
  }

  return {
    url,
    token,
    ...(tls === undefined ? {} : { caPem: tls.caPem }),
    kubeconfig,
    world,
    clock,
    faults,
    close,
  };
}

async function writeKubeconfig(file: string, text: string): Promise<void> {
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, text, { mode: 0o600 });
  } catch (err) {
    throw invalidArgument(
      `cannot write the kubeconfig ${file}: ${fileErrorWords(err)}`,
      'choose a file path in a directory that can be written (--write-kubeconfig)',
    );
  }
}
