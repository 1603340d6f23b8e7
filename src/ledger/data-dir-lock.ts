/**
 * PGlite is one process's database: a second process opening the same data directory reads a
 * stale copy and its writes are lost. A lock file (`kubetally.lock`, holding the owner's pid)
 * keeps a data directory to one process at a time; a lock whose process is gone is taken over.
 * The lock also names the host: a lock of this host naming this process's own pid, which this
 * process did not take, is stale too (a container restarted on the same volume runs kubetally
 * again as pid 1, the pid its crashed run wrote). Another pod mounting the volume is another host,
 * whose pid 1 says nothing of this one's, so its lock is never taken for our own.
 */
import { openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { KubetallyError } from '../domain/errors.js';

export interface DataDirLock {
  release(): void;
}

/** The lock files this process holds (resolved paths). */
const held = new Set<string>();

export function lockDataDir(dir: string): DataDirLock {
  const file = path.resolve(dir, 'kubetally.lock');
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, `${process.pid} ${hostname()}\n`);
      closeSync(fd);
      held.add(file);
      return {
        release: () => {
          held.delete(file);
          rmSync(file, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw inUse(err, dir, file);
      const [pidText = '', host] = readFileSync(file, 'utf8').trim().split(' ');
      const pid = Number.parseInt(pidText, 10);
      const mine = pid === process.pid && host === hostname() && !held.has(file);
      if (Number.isInteger(pid) && pid > 0 && !mine && alive(pid)) throw inUse(undefined, dir, file, pid);
      rmSync(file, { force: true }); // its process is gone (a crash): take it over
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function inUse(err: unknown, dir: string, file: string, pid?: number): KubetallyError {
  if (pid === undefined) {
    return new KubetallyError(
      'INVALID_ARGUMENT',
      `cannot lock the data directory ${dir}: ${(err as Error).message}`,
      {
        hint: `check that ${file} can be created (permissions, a read-only disk)`,
      },
    );
  }
  return new KubetallyError(
    'CONFLICT',
    `the data directory ${dir} is in use by another kubetally process (pid ${pid}${pid === process.pid ? ', this one' : ''})`,
    {
      hint: 'the embedded database serves one process: stop that one, use the API of a running `kubetally serve`, or share a PostgreSQL server (DATABASE_URL) between processes',
    },
  );
}
