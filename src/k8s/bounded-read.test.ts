import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAtMost } from './bounded-read.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubetally-bounded-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('readAtMost', () => {
  it('reads a file up to the limit whole, and says whether there is more', async () => {
    const file = join(dir, 'f');
    const text = 'x'.repeat(200_000); // several chunks
    await writeFile(file, text);
    expect(await readAtMost(file, 200_000)).toEqual({ bytes: Buffer.from(text), more: false });
    const cut = await readAtMost(file, 199_999);
    expect([cut.bytes.length, cut.more]).toEqual([199_999, true]);
    await writeFile(file, '');
    expect(await readAtMost(file, 10)).toEqual({ bytes: Buffer.alloc(0), more: false });
  });

  it('ends on a file without end', async () => {
    const zero = await readAtMost('/dev/zero', 1_000_000);
    expect([zero.bytes.length, zero.more]).toEqual([1_000_000, true]);
  });
});
