import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXIT_CODES } from './exit-codes.js';

/** docs/cli.md's "Exit status" paragraph: scripts are written from it. */
function documentedStatuses(): number[] {
  const doc = readFileSync(new URL('../../docs/cli.md', import.meta.url), 'utf8');
  const section = /## Exit status\n([\s\S]*?)\n## /.exec(doc)?.[1] ?? '';
  return [...section.matchAll(/(?:^|[;\s])(\d+) [A-Za-z]/g)].map((m) => Number(m[1]));
}

describe('exit codes', () => {
  it('are all documented in docs/cli.md (11, 12 and 13 were missing)', () => {
    const used = [0, ...new Set(Object.values(EXIT_CODES))].sort((a, b) => a - b);
    expect(documentedStatuses()).toEqual(used);
  });
});
