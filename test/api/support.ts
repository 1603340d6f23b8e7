/** A kubetally server in this process on a free port, over a fresh ledger, with an admin token. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { openApp, type AppContext } from '../../src/app/context.js';
import { ensureAdminToken } from '../../src/api/bootstrap.js';
import { buildServer } from '../../src/api/server.js';

export const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';

export interface TestServer {
  url: string;
  ctx: AppContext;
  dataDir: string;
  /** Every log line the server wrote. */
  logs: string[];
  call(
    method: string,
    path: string,
    init?: { token?: string | null; body?: unknown; raw?: string; contentType?: string },
  ): Promise<{ status: number; text: string; headers: Headers; json: () => any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  close(): Promise<void>;
}

export async function startTestServer(): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kubetally-api-'));
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  const ctx = await openApp({ database: dataDir, env: { KUBETALLY_DATA_DIR: dataDir } });
  await ensureAdminToken(ctx, ADMIN_TOKEN);
  const logger = pino(
    {
      level: 'debug',
      redact: ['req.headers.authorization', 'kubeconfig', '*.kubeconfig', 'token', '*.token'],
    },
    sink,
  );
  const { app } = await buildServer(ctx, { logger });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    ctx,
    dataDir,
    logs,
    async call(method, path, init = {}) {
      const headers: Record<string, string> = {};
      const token = init.token === undefined ? ADMIN_TOKEN : init.token;
      if (token !== null) headers.authorization = `Bearer ${token}`;
      let body: string | undefined;
      if (init.raw !== undefined) body = init.raw;
      else if (init.body !== undefined) body = JSON.stringify(init.body);
      if (body !== undefined) headers['content-type'] = init.contentType ?? 'application/json';
      const res = await fetch(`${url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
      const text = await res.text();
      return { status: res.status, text, headers: res.headers, json: () => JSON.parse(text) };
    },
    async close() {
      await app.close();
      await ctx.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A test server for the suite it is called in (started before, closed after), with in-cluster
 * clusters of these names registered; the returned function gives the server once started.
 */
export function suiteServer(inCluster: string[] = []): () => TestServer {
  let server: TestServer | undefined;
  beforeAll(async () => {
    server = await startTestServer();
    for (const name of inCluster) {
      const r = await server.call('POST', '/api/v1/clusters', { body: { name, inCluster: true } });
      if (r.status !== 201) throw new Error(`registering ${name}: ${r.text}`);
    }
  });
  afterAll(async () => server?.close());
  return () => server!;
}
