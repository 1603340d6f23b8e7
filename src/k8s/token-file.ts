import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { KubetallyError } from '../domain/errors.js';
import type { KubeConfig } from './official-client.js';
import { fileErrorWords } from '../domain/file-error.js';

/** Kubeconfig text, and the directory its relative paths start at. */
export interface KubeconfigSource {
  text: string;
  dir: string;
}

/**
 * kubectl reads a user's token from `tokenFile` (relative to the kubeconfig file that names it);
 * the official client reads only `token-file`, so a kubeconfig that works for kubectl sent no
 * token. For the user's own kubeconfigs: an uploaded one may not name files.
 */
export async function applyTokenFile(kc: KubeConfig, files: readonly string[]): Promise<void> {
  const sources: KubeconfigSource[] = [];
  for (const file of files) {
    try {
      sources.push({ text: await readFile(file, 'utf8'), dir: path.dirname(file) });
    } catch {
      continue; // the client read it; a file it could not is left to it
    }
  }
  await applyTokenFileOf(kc, sources);
}

/** The same for kubeconfig text of the user's own (`loadKubeconfig({ yaml, trust: 'own' })`). */
export async function applyTokenFileOf(kc: KubeConfig, sources: readonly KubeconfigSource[]): Promise<void> {
  const user = kc.getCurrentUser();
  if (user === null) return;
  for (const source of sources) {
    let doc: unknown;
    try {
      doc = parse(source.text);
    } catch {
      continue; // the client read it; text it read differently is left to it
    }
    const users = (doc as { users?: unknown } | null)?.users;
    const entry = Array.isArray(users)
      ? (users as { name?: unknown; user?: { tokenFile?: unknown } }[]).find((u) => u?.name === user.name)
      : undefined;
    if (entry === undefined) continue; // as kubectl merges: the first file naming the user wins
    const tokenFile = entry.user?.tokenFile;
    if (typeof tokenFile !== 'string' || tokenFile === '') return;
    const tokenPath = path.resolve(source.dir, tokenFile);
    let token: string;
    try {
      token = (await readFile(tokenPath, 'utf8')).trim();
    } catch (err) {
      throw new KubetallyError(
        'INVALID_KUBECONFIG',
        `cannot read the token file of user "${user.name}" (${tokenPath}): ${fileErrorWords(err)}`,
        {
          hint: 'check the path in users[].user.tokenFile (relative paths start at the kubeconfig file; for kubeconfig text, at the current directory)',
        },
      );
    }
    kc.loadFromOptions({
      clusters: kc.clusters,
      users: kc.users.map((u) => (u.name === user.name ? { ...u, token } : u)),
      contexts: kc.contexts,
      currentContext: kc.currentContext,
    });
    return;
  }
}

/** The files a default load reads, as the client reads them: $KUBECONFIG's, else ~/.kube/config. */
export function defaultKubeconfigFiles(): string[] {
  const env = process.env.KUBECONFIG;
  if (env !== undefined && env !== '') return env.split(path.delimiter).filter((f) => f !== '');
  return [path.join(homedir(), '.kube', 'config')];
}
