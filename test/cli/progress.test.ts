/**
 * Long commands show a status line on a terminal (SPEC §4) and nothing of it elsewhere: `top` run
 * under a pseudo-terminal (util-linux `script`) and through pipes.
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSimulator, type TestSimulator } from '../simulator/support.js';

const run = promisify(execFile);
const ESC = String.fromCharCode(27);
const hasScript = spawnSync('script', ['--version']).error === undefined;
if (!hasScript) console.warn('util-linux `script` is not installed: the terminal progress test is skipped');

let sim: TestSimulator;
beforeAll(async () => {
  sim = await startTestSimulator({ scenario: 'demo', clock: 'manual' });
  sim.clock.advance(3_600_000);
});
afterAll(() => sim?.stop());

const top = () => `node bin/kubetally.js top --kubeconfig ${sim.kubeconfigPath} --by owner`;

describe('progress on a terminal', () => {
  it.skipIf(!hasScript)('shows what top is reading, then clears the line before the table', async () => {
    const { stdout } = await run('script', ['-qec', top(), '/dev/null'], {
      env: { ...process.env, COLUMNS: '120' },
    });
    const status = `\r${ESC}[2Kreading metrics and claims from ${sim.url.replace(/\/$/, '')}…`;
    expect(stdout).toContain(status);
    // The line is cleared (an empty status) and the table follows.
    const cleared = stdout.lastIndexOf(`\r${ESC}[2K`);
    expect(cleared).toBeGreaterThan(-1);
    expect(stdout.slice(cleared + 5)).toMatch(/^\s*OWNER\s+PODS\s+CPU\(cores\)/);
  });

  it('writes no status line where the output is not a terminal', async () => {
    const { stdout, stderr } = await run('sh', ['-c', top()]);
    expect(stderr).toBe('');
    expect(stdout).not.toContain('\r');
    expect(stdout).toMatch(/^OWNER\s+PODS/);
  });
});
