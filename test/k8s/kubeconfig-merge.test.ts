/**
 * `$KUBECONFIG` of several files and relative exec commands, read as kubectl reads them. The
 * official client threw on a name two files share ("Duplicate cluster", the usual case of two
 * kubeconfigs that both call their cluster `kubernetes`), failed on a listed file that does not
 * exist, let the last file's current-context win, and ran `exec: ./get-token` from the current
 * directory: kubectl takes all four.
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadKubeconfig } from '../../src/k8s/connection.js';
import { runCli } from '../support/cli.js';
import { startTestSimulator, type TestSimulator } from '../simulator/support.js';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let sim: TestSimulator;
let dir: string;
const saved = process.env.KUBECONFIG;

beforeAll(async () => {
  sim = await startTestSimulator({ scenario: 'demo', clock: 'manual' });
  dir = await mkdtemp(join(tmpdir(), 'kubetally-kubeconfig-merge-'));
});
afterEach(() => {
  if (saved === undefined) delete process.env.KUBECONFIG;
  else process.env.KUBECONFIG = saved;
});
afterAll(async () => {
  await sim?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, doc: Doc): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, stringify(doc));
  return file;
}

async function version(): Promise<string> {
  const conn = await loadKubeconfig();
  return (await conn.request<{ minor: string }>('/version')).body.minor;
}

describe('$KUBECONFIG of several files', () => {
  it('takes a name two files share from the first, as kubectl does', async () => {
    const good = await write('good', parse(sim.kubeconfig) as Doc);
    const other = parse(sim.kubeconfig) as Doc;
    other.users[0].user = { token: 'not-the-token' };
    const second = await write('second', other);
    process.env.KUBECONFIG = `${good}:${second}`;
    expect(await version()).toBe('32');
  });

  it('takes current-context from the first file that sets one, as kubectl does', async () => {
    const doc = parse(sim.kubeconfig) as Doc;
    const first = await write('first', { ...doc, 'current-context': doc.contexts[0].name });
    const last = await write('last', {
      apiVersion: 'v1',
      kind: 'Config',
      contexts: [{ name: 'elsewhere', context: { cluster: 'nowhere', user: 'nobody' } }],
      'current-context': 'elsewhere',
    });
    process.env.KUBECONFIG = `${first}:${last}`;
    expect(await version()).toBe('32');
  });

  it('skips files that do not exist, and says so when none does', async () => {
    const good = await write('only', parse(sim.kubeconfig) as Doc);
    process.env.KUBECONFIG = `${join(dir, 'absent')}:${good}`;
    expect(await version()).toBe('32');
    process.env.KUBECONFIG = `${join(dir, 'absent')}:${join(dir, 'absent-too')}`;
    expect(await runCli({}, 'top')).toEqual({
      code: 3,
      out: '',
      err: [
        `error: no kubeconfig found: none of the files in KUBECONFIG exists (${process.env.KUBECONFIG})`,
        'hint: fix KUBECONFIG, or pass --kubeconfig FILE (from the library, loadKubeconfig({ file }))',
        '',
      ].join('\n'),
    });
  });
});

describe('an exec command given as a relative path', () => {
  it('runs from the kubeconfig file directory, as kubectl runs it', async () => {
    const script = join(dir, 'get-token');
    const credential = {
      apiVersion: 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      status: { token: sim.token },
    };
    await writeFile(script, `#!/bin/sh\necho '${JSON.stringify(credential)}'\n`);
    await chmod(script, 0o755);
    const doc = parse(sim.kubeconfig) as Doc;
    doc.users[0].user = {
      exec: {
        apiVersion: 'client.authentication.k8s.io/v1',
        command: './get-token',
        interactiveMode: 'Never',
      },
    };
    const file = await write('exec', doc);
    expect(process.cwd()).not.toBe(dir);
    const conn = await loadKubeconfig({ file });
    expect((await conn.request<{ minor: string }>('/version')).body.minor).toBe('32');
  });
});
