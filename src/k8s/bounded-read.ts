import { open } from 'node:fs/promises';

const CHUNK = 64 * 1024;

/**
 * The first `maxBytes` bytes of a file, and whether it holds more. A kubeconfig path may name
 * anything (`/dev/zero`, a disk image): reading it whole would fill memory, or never end.
 */
export async function readAtMost(file: string, maxBytes: number): Promise<{ bytes: Buffer; more: boolean }> {
  const handle = await open(file, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const want = Math.min(CHUNK, maxBytes + 1 - total);
      const { bytesRead, buffer } = await handle.read(Buffer.alloc(want), 0, want, null);
      if (bytesRead === 0) break;
      chunks.push(buffer.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) break;
    }
    const all = Buffer.concat(chunks);
    return { bytes: all.subarray(0, maxBytes), more: all.length > maxBytes };
  } finally {
    await handle.close();
  }
}
