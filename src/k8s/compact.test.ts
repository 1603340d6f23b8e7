import { describe, expect, it } from 'vitest';
import { podInfo } from './compact.js';
import { envelope, listBytes, messageBytes } from './protobuf/codec.js';
import { decodePodList } from './protobuf/pod-list.js';

const terminating = {
  metadata: {
    name: 'web-1',
    namespace: 'prod',
    uid: 'u-1',
    creationTimestamp: '2026-05-04T10:00:00Z',
    // Deleted at 12:00:00 with the default 30 s grace period: the server sets the deadline.
    deletionTimestamp: '2026-05-04T12:00:30Z',
    deletionGracePeriodSeconds: 30,
  },
  spec: { nodeName: 'n1', containers: [{ name: 'app', resources: { requests: { cpu: '1' } } }] },
  status: {
    phase: 'Running',
    containerStatuses: [
      { name: 'app', restartCount: 0, state: { running: { startedAt: '2026-05-04T10:00:05Z' } } },
    ],
  },
};

describe('podInfo', () => {
  it('takes the time deletion was asked for: deletionTimestamp less the grace period', () => {
    expect(podInfo(terminating).deletingAt).toBe(Date.parse('2026-05-04T12:00:00Z'));
    const { deletionGracePeriodSeconds: _, ...noGrace } = terminating.metadata;
    expect(podInfo({ ...terminating, metadata: noGrace }).deletingAt).toBe(
      Date.parse('2026-05-04T12:00:30Z'),
    );
  });

  it('reads the same from protobuf as from JSON', () => {
    const page = envelope(
      'v1',
      'PodList',
      listBytes({ resourceVersion: '7' }, [messageBytes('Pod', terminating)]),
    );
    expect(decodePodList(page).items).toEqual([podInfo(terminating)]);
  });
});
