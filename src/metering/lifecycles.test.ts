import { describe, expect, it } from 'vitest';
import { podLifecycles } from './lifecycles.js';
import type { PodObservation } from './observations.js';
import { effectiveRequest } from './requests.js';
import { MIN, S, T0, amounts, container, inventory, pod } from './test-support.js';

/** 2.5 sample periods of 60 s, as the integration passes. */
const BRIDGE = { maxBridgeMs: 150 * S };

/** Pod `w`, its container crashed at 57 s and waiting to restart. */
const crashed = (phase: PodObservation['phase']) =>
  pod('w', {
    phase,
    containers: [
      container('c', { lastTerminated: { startedAt: T0, finishedAt: T0 + 57 * S }, restartCount: 1 }),
    ],
  });

describe('podLifecycles', () => {
  it('accounts a job that ran between two inventories from its terminated state times', () => {
    const job = pod('j', {
      phase: 'Succeeded',
      containers: [container('main', { terminated: { startedAt: T0 + 10 * S, finishedAt: T0 + 40 * S } })],
    });
    const lives = podLifecycles([inventory(T0, []), inventory(T0 + MIN, [job])], BRIDGE);
    expect(lives.get('j')?.runs.get('main')).toEqual([
      { start: T0 + 10 * S, end: T0 + 40 * S, endKind: 'finished' },
    ]);
    expect(lives.get('j')?.span).toEqual({ start: T0 + 10 * S, end: T0 + 40 * S });
  });

  it('ends a restarted run at its lastState finish and keeps the new run open', () => {
    const before = pod('p', { containers: [container('c', { runningSince: T0 })] });
    const after = pod('p', {
      containers: [
        container('c', {
          runningSince: T0 + 90 * S,
          lastTerminated: { startedAt: T0, finishedAt: T0 + 80 * S },
          restartCount: 1,
        }),
      ],
    });
    const runs = podLifecycles(
      [inventory(T0 + 30 * S, [before]), inventory(T0 + 2 * MIN, [after])],
      BRIDGE,
    ).get('p')?.runs;
    expect(runs?.get('c')).toEqual([
      { start: T0, end: T0 + 80 * S, endKind: 'finished' },
      { start: T0 + 90 * S, end: T0 + 2 * MIN, endKind: 'open' },
    ]);
  });

  it("knows the pod's first container start only from an object listing it before its first restart", () => {
    const restarted = (restartCount: number) =>
      pod('r', {
        containers: [
          container('c', {
            runningSince: T0 + 20 * MIN,
            lastTerminated: { startedAt: T0 + 10 * MIN, finishedAt: T0 + 19 * MIN },
            restartCount,
          }),
        ],
      });
    const first = pod('r', { containers: [container('c', { runningSince: T0 + 5 * S })] });
    const seen = podLifecycles(
      [inventory(T0 + MIN, [first]), inventory(T0 + 21 * MIN, [restarted(1)])],
      BRIDGE,
    );
    expect(seen.get('r')?.firstStart).toBe(T0 + 5 * S);
    // Restarted twice before the first inventory here: the run from 10 min on is not its first.
    const late = podLifecycles([inventory(T0 + 21 * MIN, [restarted(2)])], BRIDGE).get('r');
    expect(late?.span?.start).toBe(T0 + 10 * MIN);
    expect(late?.firstStart).toBeUndefined();
  });

  it('keeps the span of a pod waiting to restart up to the last inventory that listed it', () => {
    const waiting = podLifecycles(
      [
        inventory(T0 + 30 * S, [pod('w', { containers: [container('c', { runningSince: T0 })] })]),
        inventory(T0 + MIN, [crashed('Running')]),
      ],
      BRIDGE,
    ).get('w');
    expect(waiting?.runs.get('c')).toEqual([{ start: T0, end: T0 + 57 * S, endKind: 'finished' }]);
    expect(waiting?.span).toEqual({ start: T0, end: T0 + MIN });
    // Being deleted, or read from the watch after it left, it holds nothing past its deletion.
    const departed = { ...crashed('Running'), departed: true as const };
    expect(podLifecycles([inventory(T0 + MIN, [departed])], BRIDGE).get('w')?.span).toEqual({
      start: T0,
      end: T0 + 57 * S,
    });
    const deleting = { ...crashed('Running'), deletingAt: T0 + 58 * S };
    expect(podLifecycles([inventory(T0 + MIN, [deleting])], BRIDGE).get('w')?.span).toEqual({
      start: T0,
      end: T0 + 58 * S,
    });
  });

  it('ends a pod that went done while waiting to restart halfway into the back-off it was waiting out', () => {
    // Done by the next inventory, 3 s after the crash: it ended within those 3 s.
    const soon = podLifecycles([inventory(T0 + MIN, [crashed('Failed')])], BRIDGE).get('w');
    expect(soon?.span).toEqual({ start: T0, end: T0 + 58_500 });
    // Seen done a minute later: it ended before the 10 s back-off was out, else it had restarted.
    const later = podLifecycles([inventory(T0 + 2 * MIN, [crashed('Failed')])], BRIDGE).get('w');
    expect(later?.span).toEqual({ start: T0, end: T0 + 62 * S });
    // Listed waiting at 1 min and done at 2 min: between that sight and the back-off's end.
    const waited = podLifecycles(
      [inventory(T0 + MIN, [crashed('Running')]), inventory(T0 + 2 * MIN, [crashed('Failed')])],
      BRIDGE,
    ).get('w');
    expect(waited?.span).toEqual({ start: T0, end: T0 + 63_500 });
  });

  it('ends a vanished pod halfway to the first inventory without it, or when its deletion was requested', () => {
    const seen = pod('v', { containers: [container('c', { runningSince: T0 })] });
    const vanished = podLifecycles([inventory(T0 + MIN, [seen]), inventory(T0 + 2 * MIN, [])], BRIDGE);
    expect(vanished.get('v')?.runs.get('c')).toEqual([{ start: T0, end: T0 + 90 * S, endKind: 'vanished' }]);
    // Across an outage longer than the bridge allowance nothing is assumed past the last sight.
    const outage = podLifecycles([inventory(T0 + MIN, [seen]), inventory(T0 + 5 * MIN, [])], BRIDGE);
    expect(outage.get('v')?.runs.get('c')).toEqual([{ start: T0, end: T0 + MIN, endKind: 'vanished' }]);
    const deleting = { ...seen, deletingAt: T0 + 70 * S };
    const deleted = podLifecycles([inventory(T0 + MIN, [deleting]), inventory(T0 + 2 * MIN, [])], BRIDGE);
    expect(deleted.get('v')?.runs.get('c')).toEqual([{ start: T0, end: T0 + 70 * S, endKind: 'deleted' }]);
  });
});

describe('effectiveRequest', () => {
  it('takes max(app + sidecars, init + earlier sidecars) + overhead', () => {
    const p = pod('r', {
      overhead: amounts(250, 64),
      containers: [
        container('init-big', { kind: 'init', requests: amounts(1500, 100) }),
        container('proxy', { kind: 'sidecar', requests: amounts(100, 50) }),
        container('init-late', { kind: 'init', requests: amounts(1000, 900, 1) }),
        container('app', { requests: amounts(500, 200) }),
        container('app2', { requests: amounts(300, 100, 2) }),
      ],
    });
    // cpu: app 500+300+100 = 900; init max(1500, 1000+100) = 1500 → 1500 + 250
    // memory: app 200+100+50 = 350; init max(100, 900+50) = 950 → 950 + 64
    // gpu: app 2; init 1 → 2
    expect(effectiveRequest(p)).toEqual(amounts(1750, 1014, 2));
  });
});
