import type { CapacityType, EC2NodeClass, InstanceType, NodeClaim } from '@karpenter-ts/api';
import { Labels, Taints } from '@karpenter-ts/api';
import { formatQuantity } from '@karpenter-ts/solver';
import type { NodeBootstrap } from './user-data/node-bootstrap.js';

/** How nodes reach the cluster; the same for every node. */
export interface ClusterAccess {
  readonly clusterName: string;
  readonly clusterEndpoint: string;
  readonly clusterCABundle: string;
  readonly clusterCIDR?: string;
}

/** Label keys the kubelet may set on itself under the kubernetes.io and k8s.io domains. */
const KUBELET_SETTABLE = new Set<string>([Labels.arch, Labels.os, Labels.instanceType, Labels.zone, Labels.region, Labels.hostname]);

/** True for labels the kubelet accepts in `--node-labels`; the rest are synced to the Node after it registers. */
export function kubeletMaySet(key: string): boolean {
  const domain = key.includes('/') ? key.slice(0, key.indexOf('/')) : '';
  const restricted = ['kubernetes.io', 'k8s.io'].some((d) => domain === d || domain.endsWith(`.${d}`));
  return !restricted || KUBELET_SETTABLE.has(key) || domain.endsWith('kubelet.kubernetes.io') || domain.endsWith('node.kubernetes.io');
}

/**
 * The join settings of one node: the NodeClaim's labels and taints (plus the unregistered taint
 * that holds pods off until the node is registered), this instance type's max pods and reserved
 * resources, and the EC2NodeClass's kubelet settings and user data.
 */
export function nodeBootstrap(
  cluster: ClusterAccess,
  nodeClass: EC2NodeClass,
  nodeClaim: NodeClaim,
  instanceType: InstanceType,
  capacityType: CapacityType,
): NodeBootstrap {
  const labels = Object.fromEntries(Object.entries(nodeClaim.metadata.labels ?? {}).filter(([key]) => kubeletMaySet(key)));
  labels[Labels.capacityType] = capacityType;
  const kubelet = nodeClass.spec.kubelet;
  return {
    ...cluster,
    clusterDNS: kubelet?.clusterDNS,
    maxPods: instanceType.capacity.pods,
    kubeReserved: quantities(instanceType.overhead.kubeReserved),
    systemReserved: Object.keys(instanceType.overhead.systemReserved).length ? quantities(instanceType.overhead.systemReserved) : undefined,
    evictionHard: kubelet?.evictionHard,
    labels,
    taints: [
      ...[...(nodeClaim.spec.taints ?? []), ...(nodeClaim.spec.startupTaints ?? [])].map(({ key, value, effect }) => ({ key, value, effect })),
      Taints.unregistered,
    ],
    customUserData: nodeClass.spec.userData,
  };
}

/** Canonical amounts (millicores, bytes) → Kubernetes quantity strings. */
export function quantities(amounts: Readonly<Record<string, number>>): Record<string, string> {
  return Object.fromEntries(Object.entries(amounts).map(([resource, amount]) => [resource, formatQuantity(amount, resource)]));
}
