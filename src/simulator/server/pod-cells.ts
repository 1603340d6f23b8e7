/** kubectl's pod row (`printPod`, v1.32): Ready, Status reason, Restarts `N (5m ago)`, Age and wide cells. */
import type { Millis } from '../../domain/duration.js';
import { ageSince } from './age.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function podCells(pod: Obj, now: Millis): unknown[] {
  const spec: Obj = pod.spec ?? {};
  const st: Obj = pod.status ?? {};
  const total = (spec.containers ?? []).length;
  let reason: string = st.reason || st.phase || '';
  let restarts = 0;
  let ready = 0;
  let lastRestart = 0;
  const noteRestart = (c: Obj) => {
    restarts += c.restartCount ?? 0;
    const finished = Date.parse(c.lastState?.terminated?.finishedAt ?? '');
    if (Number.isFinite(finished) && finished > lastRestart) lastRestart = finished;
  };

  const inits: Obj[] = st.initContainerStatuses ?? [];
  let initializing = false;
  // Restarts of init containers count only while the pod is still initializing.
  inits.forEach((c, i) => {
    if (initializing) return;
    noteRestart(c);
    const term = c.state?.terminated;
    if (term && term.exitCode === 0) return;
    if (term)
      reason = `Init:${term.reason || (term.signal ? `Signal:${term.signal}` : `ExitCode:${term.exitCode}`)}`;
    else if (c.state?.waiting?.reason && c.state.waiting.reason !== 'PodInitializing')
      reason = `Init:${c.state.waiting.reason}`;
    else reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
    initializing = true;
  });

  if (!initializing) {
    restarts = 0;
    lastRestart = 0;
    let hasRunning = false;
    const statuses: Obj[] = st.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i] as Obj;
      noteRestart(c);
      const state: Obj = c.state ?? {};
      if (state.waiting?.reason) reason = state.waiting.reason;
      else if (state.terminated?.reason) reason = state.terminated.reason;
      else if (state.terminated)
        reason = state.terminated.signal
          ? `Signal:${state.terminated.signal}`
          : `ExitCode:${state.terminated.exitCode}`;
      else if (c.ready && state.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const podReady = (st.conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.status === 'True');
      reason = podReady ? 'Running' : 'NotReady';
    }
  }
  if (pod.metadata?.deletionTimestamp && st.phase !== 'Succeeded' && st.phase !== 'Failed')
    reason = 'Terminating';

  const restartText =
    restarts !== 0 && lastRestart > 0
      ? `${restarts} (${ageSince(new Date(lastRestart).toISOString(), now)} ago)`
      : String(restarts);
  const ip = st.podIPs?.[0]?.ip ?? st.podIP ?? '';
  return [
    pod.metadata?.name,
    `${ready}/${total}`,
    reason,
    restartText,
    ageSince(pod.metadata?.creationTimestamp, now),
    ip || '<none>',
    spec.nodeName || '<none>',
    st.nominatedNodeName || '<none>',
    readinessGates(spec, st),
  ];
}

function readinessGates(spec: Obj, st: Obj): string {
  const gates: Obj[] = spec.readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  const trueConditions = new Set(
    (st.conditions ?? []).filter((c: Obj) => c.status === 'True').map((c: Obj) => c.type),
  );
  return `${gates.filter((g) => trueConditions.has(g.conditionType)).length}/${gates.length}`;
}
