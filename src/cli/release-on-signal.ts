import { constants } from 'node:os';

/** How long a stopped command waits for its database to give the leases back before it exits anyway. */
const RELEASE_MS = 5_000;

/**
 * Until the returned function is called, SIGINT and SIGTERM (Ctrl-C, a cron job's `timeout`) run
 * `release` before the process exits with 128 + the signal's number. `kubetally collect` gives
 * its leases back so: stopped holding one, it kept every other collector (the next cron run, a
 * `serve` replica) off the cluster for three sample periods, long enough to leave a gap.
 */
export function releaseOnSignal(release: () => Promise<void>): () => void {
  const onSignal = (signal: NodeJS.Signals): void => {
    const status = 128 + (constants.signals[signal] ?? 0);
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, RELEASE_MS).unref());
    void Promise.race([release().catch(() => undefined), deadline]).finally(() => process.exit(status));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
