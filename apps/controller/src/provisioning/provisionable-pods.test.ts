import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { isProvisionable } from './provisionable-pods.js';

const unschedulable = (extra: Partial<V1Pod> = {}): V1Pod => ({
  metadata: { name: 'p', namespace: 'default', ...extra.metadata },
  spec: { containers: [], ...extra.spec },
  status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }], ...extra.status },
});

describe('isProvisionable', () => {
  it('takes pods kube-scheduler marked Unschedulable', () => {
    expect(isProvisionable(unschedulable())).toBe(true);
  });
  it('skips bound, terminating, finished, not-yet-tried and DaemonSet pods', () => {
    expect(isProvisionable(unschedulable({ spec: { nodeName: 'n1', containers: [] } }))).toBe(false);
    expect(isProvisionable(unschedulable({ metadata: { deletionTimestamp: new Date() } }))).toBe(false);
    expect(isProvisionable(unschedulable({ status: { phase: 'Succeeded' } }))).toBe(false);
    expect(isProvisionable(unschedulable({ status: { phase: 'Pending', conditions: [] } }))).toBe(false);
    expect(isProvisionable(unschedulable({ status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] } }))).toBe(false);
    expect(isProvisionable(unschedulable({ metadata: { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'd', uid: 'u', controller: true }] } }))).toBe(false);
  });
});
