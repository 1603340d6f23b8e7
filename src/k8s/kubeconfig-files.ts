/**
 * Kubeconfig files of the user's own, read as kubectl reads them (client-go's loader). The
 * official client differs from kubectl in ways that break kubeconfigs kubectl takes:
 * - `$KUBECONFIG` of several files: it throws on a cluster, user or context name that two files
 *   share ("Duplicate cluster"), where the first file to define a name wins; it lets the last
 *   file's `current-context` win, where the first file to set one wins; and it fails on a file
 *   that does not exist, where kubectl skips it.
 * - an `exec` command given as a relative path (`./bin/get-token`) is run from the current
 *   directory, where kubectl runs it from the kubeconfig file's directory.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { KubetallyError } from '../domain/errors.js';
import { KubeConfig } from './official-client.js';
import { yamlProblem } from './yaml-problem.js';

/** Why a kubeconfig could not be loaded, in words. */
function loadProblem(err: unknown): string {
  const problem = yamlProblem(err);
  if (problem !== undefined) return `not valid YAML: ${problem}`;
  // The client reads a file that is not a kubeconfig (empty, a word) into a TypeError.
  return err instanceof TypeError ? 'it is not a kubeconfig' : (err as Error).message;
}

export function cannotLoad(what: string, err: unknown): KubetallyError {
  return new KubetallyError('INVALID_KUBECONFIG', `cannot load ${what}: ${loadProblem(err)}`, {
    hint: 'check the file with kubectl config view, and the context name with kubectl config get-contexts',
  });
}

/** One kubeconfig file, its relative paths (files, an exec command) resolved from its directory. */
export function loadKubeconfigFile(kc: KubeConfig, file: string): void {
  kc.loadFromFile(file);
  const dir = path.dirname(path.resolve(file));
  kc.loadFromOptions({
    clusters: kc.clusters,
    users: kc.users.map((u) => {
      const command = (u.exec as { command?: unknown } | undefined | null)?.command;
      // As client-go: a bare name is looked up on the PATH; a path is relative to the file.
      if (typeof command !== 'string' || !command.includes('/') || path.isAbsolute(command)) return u;
      return { ...u, exec: { ...(u.exec as object), command: path.resolve(dir, command) } };
    }),
    contexts: kc.contexts,
    currentContext: kc.currentContext,
  });
}

/**
 * The files of `$KUBECONFIG`, merged into `kc` as kubectl merges them: missing and empty files
 * are skipped, the first definition of a name wins, and the first `current-context` set.
 */
export function loadKubeconfigList(kc: KubeConfig, files: readonly string[], env: string): void {
  const present = files.filter((f) => existsSync(f));
  if (present.length === 0) {
    throw new KubetallyError(
      'INVALID_KUBECONFIG',
      `no kubeconfig found: none of the files in KUBECONFIG exists (${env})`,
      { hint: 'fix KUBECONFIG, or pass --kubeconfig FILE (from the library, loadKubeconfig({ file }))' },
    );
  }
  const merged = new KubeConfig();
  merged.loadFromOptions({ clusters: [], users: [], contexts: [], currentContext: '' });
  for (const file of present) {
    // An empty file is an empty kubeconfig to kubectl (a `touch`ed ~/.kube/config).
    if (readFileSync(file, 'utf8').trim() === '') continue;
    const one = new KubeConfig();
    try {
      loadKubeconfigFile(one, file);
    } catch (err) {
      throw cannotLoad(file, err);
    }
    const add = <T extends { name: string }>(into: T[], from: readonly T[]): void => {
      for (const item of from) if (!into.some((i) => i.name === item.name)) into.push(item);
    };
    add(merged.clusters, one.clusters);
    add(merged.users, one.users);
    add(merged.contexts, one.contexts);
    if (!merged.currentContext && one.currentContext) merged.currentContext = one.currentContext;
  }
  kc.loadFromOptions({
    clusters: merged.clusters,
    users: merged.users,
    contexts: merged.contexts,
    currentContext: merged.currentContext,
  });
}
