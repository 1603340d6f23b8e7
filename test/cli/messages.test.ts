/**
 * What the CLI says in a few places easy to get wrong: its own name when run as the kubectl
 * plugin, a port that is in use, a host that is none, its help and its grammar.
 */
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { cliDataDir, type CliDataDir } from '../support/cli.js';

let cli: CliDataDir;

beforeAll(async () => {
  cli = await cliDataDir('kubetally-messages-');
});

afterAll(() => cli?.remove());

/** Runs the CLI as the program at `script` (argv[1]), as the bin files do. */
async function runAs(script: string, ...args: string[]) {
  let out = '';
  const io: CliIo = { out: (t) => (out += t), err: (t) => (out += t), isTty: false, env: cli.env };
  const code = await main(['node', script, ...args], io);
  return { code, out };
}

describe('messages', () => {
  it('names itself "kubectl tally" when run as kubectl-tally', async () => {
    for (const script of ['/usr/lib/node_modules/kubetally/bin/kubectl-tally.js', '/usr/bin/kubectl-tally']) {
      const top = await runAs(script, '--help');
      expect([top.code, top.out]).toEqual([0, expect.stringMatching(/^Usage: kubectl tally \[options\]/)]);
      const sub = await runAs(script, 'top', '--help');
      expect(sub.out).toMatch(/^Usage: kubectl tally top \[options\]/);
    }
    expect((await runAs('/usr/bin/kubetally', '--help')).out).toMatch(/^Usage: kubetally \[options\]/);
  });

  it('simulate on a port in use names the port and how to choose another', async () => {
    const busy: Server = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = String((busy.address() as { port: number }).port);
    try {
      const r = await cli.run(
        'simulate',
        '--scenario',
        'demo',
        '--port',
        port,
        '--write-kubeconfig',
        join(cli.dir, 'kc'),
      );
      expect(r.code).toBe(2);
      expect(r.err).toMatch(
        new RegExp(`^error: cannot listen on 127\\.0\\.0\\.1:${port}: the port is in use\\nhint: .*--port`),
      );
    } finally {
      busy.close();
    }
  });

  it('simulate on a host that does not resolve names it and the addresses to give', async () => {
    const host = ['--host', '999.1.1.1'];
    const r = await cli.run(
      'simulate',
      '--scenario',
      'demo',
      ...host,
      '--write-kubeconfig',
      join(cli.dir, 'kc'),
    );
    expect([r.code, r.err]).toEqual([
      2,
      expect.stringMatching(
        /^error: cannot listen on 999\.1\.1\.1:0: 999\.1\.1\.1 is not an address or a known host name\nhint: .*--host .*127\.0\.0\.1/,
      ),
    ]);
  });

  it('says in every --help where the ledger is without --database, and the same --by keys', async () => {
    const commands = [['serve'], ['collect'], ['usage'], ['costs'], ['migrate'], ['token', 'list']];
    commands.push(['token', 'revoke'], ['token', 'create'], ['cluster', 'add'], ['cluster', 'remove']);
    for (const command of commands) {
      const help = (await runAs('/usr/bin/kubetally', ...command, '--help')).out.replace(/\s+/g, ' ');
      expect(help, command.join(' ')).toContain(
        '--database <url|dir> PostgreSQL URL or data directory (default: $DATABASE_URL, else $KUBETALLY_DATA_DIR or ./.kubetally)',
      );
      if (command[0] === 'usage' || command[0] === 'costs')
        expect(help).toContain('tenant,cluster,owner,project,namespace,computeType (or compute-type)');
    }
  });

  it('says "an admin token"', async () => {
    const r = await cli.run('token', 'create', '--role', 'admin', '--owner', 'alice');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/an admin token/);
    expect(r.err).not.toMatch(/\ba admin\b/);
  });
});
