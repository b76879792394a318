import type { NodeClaim } from '@karpenter-ts/api';
import type { V1Node } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { notInitializedReason, registeredNode } from './node-sync.js';

const nodeClaim = {
  apiVersion: 'karpenter.sh/v1',
  kind: 'NodeClaim',
  metadata: { name: 'default-abc', uid: 'uid-1', labels: { 'karpenter.sh/nodepool': 'default', team: 'web' } },
  spec: {
    requirements: [],
    nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
    expireAfter: '720h',
    taints: [{ key: 'dedicated', value: 'web', effect: 'NoSchedule' }],
    startupTaints: [{ key: 'cni-not-ready', effect: 'NoSchedule' }],
    resources: { requests: { cpu: '1', 'nvidia.com/gpu': '1' } },
  },
} as unknown as NodeClaim;

const joined: V1Node = {
  metadata: { name: 'ip-10-0-0-1', labels: { 'kubernetes.io/hostname': 'ip-10-0-0-1' } },
  spec: { providerID: 'aws:///us-west-2a/i-1', taints: [{ key: 'karpenter.sh/unregistered', effect: 'NoExecute' }] },
};

describe('registeredNode', () => {
  it('copies labels and taints, applies startup taints once, removes the unregistered taint, owns the Node', () => {
    const node = registeredNode(joined, nodeClaim)!;
    expect(node.metadata?.labels).toMatchObject({ 'karpenter.sh/nodepool': 'default', team: 'web', 'karpenter.sh/registered': 'true', 'kubernetes.io/hostname': 'ip-10-0-0-1' });
    expect(node.spec?.taints).toEqual([
      { key: 'dedicated', value: 'web', effect: 'NoSchedule' },
      { key: 'cni-not-ready', value: undefined, effect: 'NoSchedule' },
    ]);
    expect(node.metadata?.ownerReferences).toEqual([expect.objectContaining({ kind: 'NodeClaim', name: 'default-abc', uid: 'uid-1' })]);
    expect(registeredNode(node, nodeClaim)).toBeUndefined(); // nothing left to change

    // Once a daemon removed the startup taint it is not put back.
    const cleared = { ...node, spec: { ...node.spec, taints: node.spec!.taints!.filter((t) => t.key !== 'cni-not-ready') } };
    expect(registeredNode(cleared, nodeClaim)).toBeUndefined();
  });
});

describe('notInitializedReason', () => {
  const ready = (node: V1Node, extra: Partial<NonNullable<V1Node['status']>> = {}): V1Node => ({
    ...node,
    status: { conditions: [{ type: 'Ready', status: 'True' }], allocatable: { cpu: '4', 'nvidia.com/gpu': '1' }, ...extra },
  });

  it('waits for Ready, startup taints to go and extended resources to register', () => {
    expect(notInitializedReason(joined, nodeClaim)).toBe('node is not Ready');
    const tainted = registeredNode(joined, nodeClaim)!;
    expect(notInitializedReason(ready(tainted), nodeClaim)).toBe('startup taints still present: cni-not-ready:NoSchedule');
    const untainted = { ...tainted, spec: { ...tainted.spec, taints: [] } };
    expect(notInitializedReason(ready(untainted, { allocatable: { cpu: '4' } }), nodeClaim)).toBe('extended resources not registered yet: nvidia.com/gpu');
    expect(notInitializedReason(ready(untainted), nodeClaim)).toBeUndefined();
  });
});
