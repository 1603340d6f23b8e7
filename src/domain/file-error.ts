/**
 * Why a file could not be read or written, in words: `ENOENT` alone names the problem only to those who know
 * errno. The code stays in brackets, for searching.
 */
const WORDS: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'it is a directory, not a file',
  ENOTDIR: 'a part of the path is not a directory',
  // Creating a directory where a file is (a kubeconfig path under a file).
  EEXIST: 'a part of the path is a file, not a directory',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the path is too long',
};

export function fileErrorWords(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === undefined) return err instanceof Error ? err.message : String(err);
  const words = WORDS[code];
  return words === undefined ? code : `${words} (${code})`;
}
