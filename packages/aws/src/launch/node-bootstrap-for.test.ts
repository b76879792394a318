import type { EC2NodeClass, InstanceType, NodeClaim } from '@karpenter-ts/api';
import { describe, expect, it } from 'vitest';
import { kubeletMaySet, nodeBootstrap } from './node-bootstrap-for.js';

describe('kubeletMaySet', () => {
  it('lets the kubelet set its own labels but not other kubernetes.io ones', () => {
    expect(kubeletMaySet('team')).toBe(true);
    expect(kubeletMaySet('karpenter.sh/nodepool')).toBe(true);
    expect(kubeletMaySet('topology.kubernetes.io/zone')).toBe(true);
    expect(kubeletMaySet('example.node.kubernetes.io/role')).toBe(true);
    expect(kubeletMaySet('node-role.kubernetes.io/worker')).toBe(false);
    expect(kubeletMaySet('kubernetes.io/custom')).toBe(false);
  });
});

describe('nodeBootstrap', () => {
  const nodeClass = { spec: { kubelet: { clusterDNS: ['10.100.0.10'] }, userData: 'echo hi' } } as unknown as EC2NodeClass;
  const nodeClaim = {
    metadata: { name: 'c', labels: { 'karpenter.sh/nodepool': 'default', 'node-role.kubernetes.io/worker': '' } },
    spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }], startupTaints: [{ key: 'init', effect: 'NoExecute' }] },
  } as unknown as NodeClaim;
  const instanceType = {
    capacity: { pods: 29 },
    overhead: { kubeReserved: { cpu: 70, memory: 574 * 2 ** 20 }, systemReserved: {}, evictionThreshold: {} },
  } as unknown as InstanceType;

  it('carries labels, capacity type, taints with the unregistered taint, max pods and reservations', () => {
    const b = nodeBootstrap({ clusterName: 'demo', clusterEndpoint: 'https://e', clusterCABundle: 'Q0EK' }, nodeClass, nodeClaim, instanceType, 'spot');
    expect(b.labels).toEqual({ 'karpenter.sh/nodepool': 'default', 'karpenter.sh/capacity-type': 'spot' });
    expect(b.taints.map((t) => t.key)).toEqual(['dedicated', 'init', 'karpenter.sh/unregistered']);
    expect(b).toMatchObject({ maxPods: 29, kubeReserved: { cpu: '70m', memory: '574Mi' }, systemReserved: undefined, clusterDNS: ['10.100.0.10'], customUserData: 'echo hi' });
  });
});
