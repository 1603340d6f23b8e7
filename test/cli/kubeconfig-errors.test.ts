/**
 * A kubeconfig that cannot be read or parsed, through every path that loads one (`top`, `cluster
 * add`, the library's loadKubeconfig for a file, text of one's own, uploaded text and
 * $KUBECONFIG): the error names the YAML problem and its line and column, never a character of
 * the file (its lines hold the credentials), and every path exits with the same status.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isKubetallyError } from '../../src/domain/errors.js';
import { loadKubeconfig } from '../../src/k8s/connection.js';
import { cliDataDir, type CliDataDir } from '../support/cli.js';

const TOKEN = 'tok-5e1d-never-print-me';
const GOOD = `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster:
    server: https://127.0.0.1:9
    insecure-skip-tls-verify: true
users:
- name: u
  user:
    token: ${TOKEN}
contexts:
- name: ctx
  context:
    cluster: c
    user: u
current-context: ctx
`;
// The tester's repro: `sed 's/token: \(.*\)/token: \1: x/'`.
const BAD = GOOD.replace(/token: (.*)/, 'token: $1: x');

let cli: CliDataDir;
let bad: string;
const run = (...args: string[]) => cli.run(...args);

beforeAll(async () => {
  cli = await cliDataDir('kubetally-kcerr-');
  bad = join(cli.dir, 'bad.kc');
  await writeFile(bad, BAD);
});

afterAll(() => cli?.remove());

/** No part of the file's text: not the token, not the line it is on. */
function expectNoContent(text: string) {
  expect(text).not.toContain(TOKEN.slice(0, 8));
  expect(text).not.toContain('token:');
  expect(text).not.toMatch(/\| |\^/); // a code frame's gutter or caret
}

describe('a malformed kubeconfig', () => {
  it('top and cluster add name the problem and where, exit 3, and print nothing of the file', async () => {
    for (const args of [
      ['top', '--kubeconfig', bad],
      ['cluster', 'add', 'x', '--kubeconfig', bad],
    ]) {
      const r = await run(...args);
      expect(r.code, args[0]).toBe(3);
      expect(r.err, args[0]).toMatch(/^error: .*not valid YAML.* at line 11, column \d+\nhint: /);
      expectNoContent(r.err + r.out);
    }
  });

  it('the library says the same for a file, text of your own, uploaded text and $KUBECONFIG', async () => {
    const failures: unknown[] = [];
    const attempt = (p: Promise<unknown>) =>
      p.then(
        () => failures.push('loaded'),
        (e) => failures.push(e),
      );
    await attempt(loadKubeconfig({ file: bad }));
    await attempt(loadKubeconfig({ yaml: BAD, trust: 'own' }));
    await attempt(loadKubeconfig({ yaml: BAD }));
    const saved = process.env.KUBECONFIG;
    process.env.KUBECONFIG = bad;
    try {
      await attempt(loadKubeconfig());
    } finally {
      if (saved === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = saved;
    }
    expect(failures).toHaveLength(4);
    for (const err of failures) {
      expect(isKubetallyError(err, 'INVALID_KUBECONFIG'), String(err)).toBe(true);
      const e = err as Error & { hint?: string };
      expect(e.message).toMatch(/not valid YAML.* at line 11, column \d+$/);
      expectNoContent(`${e.message}\n${e.hint}\n${JSON.stringify(e)}`);
    }
  });
});

describe('a missing kubeconfig file', () => {
  it('exits 3 (invalid kubeconfig) in top and cluster add alike', async () => {
    for (const args of [
      ['top', '--kubeconfig', join(cli.dir, 'nope')],
      ['cluster', 'add', 'x', '--kubeconfig', join(cli.dir, 'nope')],
    ]) {
      const r = await run(...args);
      expect([r.code, r.err], args[0]).toEqual([3, expect.stringMatching(/^error: .*nope.*\nhint: /)]);
    }
  });
});

describe('a kubeconfig whose credentials cannot be sent', () => {
  it('cluster add refuses it (exit 3, the field named), as POST /api/v1/clusters does', async () => {
    const file = join(cli.dir, 'newline.kc');
    await writeFile(file, GOOD.replace(`token: ${TOKEN}`, `token: |\n      ${TOKEN}`));
    const r = await run('cluster', 'add', 'x', '--kubeconfig', file);
    expect([r.code, r.err]).toEqual([
      3,
      expect.stringMatching(
        /^error: .*its token \(users\[\]\.user\.token\) has a character .*\nhint: .*line break/,
      ),
    ]);
    expectNoContent(r.err + r.out);
    expect((await run('cluster', 'list')).out).not.toMatch(/\bx\b/);
  });
});

describe('a current-context that names no context', () => {
  it('top says so and lists the contexts, exit 3, as cluster add does', async () => {
    const file = join(cli.dir, 'ghost.kc');
    await writeFile(file, GOOD.replace('current-context: ctx', 'current-context: ghost'));
    expect(await run('top', '--kubeconfig', file)).toEqual({
      code: 3,
      out: '',
      err: [
        'error: the kubeconfig\'s current-context "ghost" is not one of its contexts (ctx)',
        'hint: choose one of them with --context, or set one with kubectl config use-context',
        '',
      ].join('\n'),
    });
    const add = await run('cluster', 'add', 'ghost', '--kubeconfig', file);
    expect([add.code, add.err]).toEqual([3, expect.stringMatching(/no context named "ghost"/)]);
  });
});

describe('a kubeconfig path that names no kubeconfig file', () => {
  // It was read whole: top never ended on /dev/zero, cluster add filled memory and failed with
  // "RangeError: Invalid string length".
  it('is refused as too large after a bounded read, exit 3', async () => {
    expect(await run('top', '--kubeconfig', '/dev/zero')).toEqual({
      code: 3,
      out: '',
      err: 'error: /dev/zero is larger than 64 MiB: it is not a kubeconfig\nhint: check the path (kubectl config view --minify --flatten writes a kubeconfig of one context)\n',
    });
    const add = await run('cluster', 'add', 'zero', '--kubeconfig', '/dev/zero');
    expect([add.code, add.err]).toEqual([
      3,
      expect.stringMatching(/^error: the kubeconfig is larger than 256 KiB\n/),
    ]);
  });
});
