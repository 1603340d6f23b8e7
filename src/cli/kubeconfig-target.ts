import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { invalidArgument } from '../domain/errors.js';

/** The context name of every kubeconfig the simulator writes (simulator/server/kubeconfig.ts). */
const SIMULATOR_CONTEXT = 'kubetally-simulator';

/**
 * Refuses a `--write-kubeconfig` file that holds something other than a kubeconfig the
 * simulator wrote: `--write-kubeconfig ~/.kube/config` replaced the user's kubeconfig, every
 * context of every cluster in it, without a word. A file that does not exist, an empty one, or
 * one the simulator wrote before (each run rewrites its own) may be written.
 */
export async function checkKubeconfigTarget(file: string): Promise<void> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    // Nothing there to keep (no file), or nothing that can be written either (a directory, a path
    // under a file): the simulator's write then says why (simulator/server/serve.ts).
    return;
  }
  if (text.trim() === '') return;
  let contexts: string[] | undefined;
  try {
    const listed = (parse(text) as { contexts?: unknown } | null)?.contexts;
    contexts = Array.isArray(listed)
      ? listed.map((c) => String((c as { name?: unknown } | null)?.name ?? ''))
      : undefined;
  } catch {
    contexts = undefined;
  }
  if (contexts !== undefined && contexts.every((c) => c === SIMULATOR_CONTEXT)) return;
  throw invalidArgument(
    contexts === undefined
      ? `${file} exists and is not a kubeconfig the simulator wrote: simulate does not overwrite it`
      : `${file} holds other contexts (${contexts.filter((c) => c !== SIMULATOR_CONTEXT).join(', ')}): simulate does not overwrite it`,
    'give --write-kubeconfig a new file (KUBECONFIG=NEW:~/.kube/config then lets kubectl use both), or remove the file first',
  );
}
