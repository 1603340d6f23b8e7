/**
 * The cluster simulator: a fake Kubernetes API server over a scenario's world (SPEC §8).
 * The product reaches it only over HTTP, like a real cluster.
 */
import type { Millis } from '../domain/duration.js';
import { invalidArgument, isKubetallyError } from '../domain/errors.js';
import { createWorld, loadScenario, type Scenario } from './model/index.js';
import { parseClockMode, type ClockMode } from './server/clock.js';
import { serveWorld, type SimulatorHandle } from './server/serve.js';

export type { ClockMode, SimClock } from './server/clock.js';
export type { FaultState } from './server/faults.js';
export { Faults } from './server/faults.js';
export { serveWorld, type ServeOptions, type SimulatorHandle } from './server/serve.js';
export type * from './world.js';

export interface SimulatorOptions {
  /** A bundled scenario name (`demo`, `scale-10k`, ...), a file path, or a loaded scenario. */
  scenario: string | Scenario;
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** `manual` (start at the scenario's start), `speed:N`, or `real` (the default). */
  clock?: ClockMode | string;
  plainHttp?: boolean;
  /** The bearer token; random when left out. */
  token?: string;
  /** Writes the kubeconfig there (mode 0600). */
  writeKubeconfig?: string;
  /** How long finished pods stay listed (default 1 h, the model's default). */
  finishedRetentionMs?: Millis;
}

export async function startSimulator(opts: SimulatorOptions): Promise<SimulatorHandle> {
  const mode = parseClockMode(opts.clock ?? 'real');
  const scenario = typeof opts.scenario === 'string' ? await loadScenario(opts.scenario) : opts.scenario;
  // Without a start in the scenario, "now" (whole seconds) anchors its offsets (SPEC §8).
  const start = scenario.start ?? Math.floor(Date.now() / 1000) * 1000;
  let world;
  try {
    world = createWorld(scenario, {
      start,
      ...(opts.finishedRetentionMs === undefined ? {} : { finishedRetentionMs: opts.finishedRetentionMs }),
    });
  } catch (err) {
    // What only the whole world shows (a GPU pod no node can run) names the file as parsing does.
    if (!isKubetallyError(err, 'INVALID_ARGUMENT')) throw err;
    const source = typeof opts.scenario === 'string' ? opts.scenario : scenario.name;
    throw invalidArgument(`invalid scenario ${source}: ${err.message}`, err.hint);
  }
  const { scenario: _s, finishedRetentionMs: _f, ...serve } = opts;
  return serveWorld(world, { ...serve, clock: mode });
}
