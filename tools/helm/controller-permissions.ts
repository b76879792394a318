// What the controller calls on the API server, and what it must never be able to do. The chart's
// RBAC must grant exactly `controllerPermissions` (checked on the rendered manifests) and the
// API server must allow each of them and deny each of `forbiddenPermissions` to the chart's
// ServiceAccount (checked against a real kube-apiserver).

/** Where a permission applies: cluster-wide (ClusterRole) or in the release namespace (Role). */
export type Scope = 'cluster' | 'release-namespace';

export interface Permission {
  readonly group: string;
  /** Plural resource, with `/subresource` where there is one. */
  readonly resource: string;
  readonly verbs: readonly string[];
  readonly scope: Scope;
  /** Only this object; `<release>` stands for the release's full name. */
  readonly resourceName?: string;
  /** Which part of the controller makes the call. */
  readonly why: string;
}

export const controllerPermissions: readonly Permission[] = [
  { group: '', resource: 'pods', verbs: ['get', 'list', 'watch'], scope: 'cluster', why: 'pod cache: pending pods and what runs on each node' },
  { group: '', resource: 'pods', verbs: ['delete'], scope: 'cluster', why: 'termination: force-delete pods past terminationGracePeriod (drain is not in the controller yet)' },
  { group: '', resource: 'pods/eviction', verbs: ['create'], scope: 'cluster', why: 'termination: drain through the Eviction API (drain is not in the controller yet)' },
  { group: '', resource: 'nodes', verbs: ['get', 'list', 'watch'], scope: 'cluster', why: 'node cache, registration of launched instances' },
  { group: '', resource: 'nodes', verbs: ['update', 'delete'], scope: 'cluster', why: 'lifecycle: labels, taints, finalizer; termination: delete' },
  { group: '', resource: 'persistentvolumes', verbs: ['get', 'list', 'watch'], scope: 'cluster', why: 'volume zones of bound pods' },
  { group: '', resource: 'persistentvolumeclaims', verbs: ['get', 'list', 'watch'], scope: 'cluster', why: 'volume zones of bound pods' },
  { group: '', resource: 'events', verbs: ['create', 'patch'], scope: 'cluster', why: 'event recorder (events live in the namespace of their object)' },
  { group: 'apps', resource: 'daemonsets', verbs: ['get', 'list', 'watch'], scope: 'cluster', why: 'DaemonSet overhead of new nodes' },
  { group: 'policy', resource: 'poddisruptionbudgets', verbs: ['get', 'list', 'watch'], scope: 'cluster', why: 'disruption candidates, drain order' },
  { group: 'karpenter.sh', resource: 'nodepools', verbs: ['get', 'list', 'watch'], scope: 'cluster', why: 'NodePool cache' },
  { group: 'karpenter.sh', resource: 'nodepools/status', verbs: ['update'], scope: 'cluster', why: 'NodePool resources, nodes and conditions' },
  { group: 'karpenter.sh', resource: 'nodeclaims', verbs: ['get', 'list', 'watch', 'create', 'update', 'delete'], scope: 'cluster', why: 'provisioning, lifecycle, garbage collection' },
  { group: 'karpenter.sh', resource: 'nodeclaims/status', verbs: ['update'], scope: 'cluster', why: 'launch, registration and initialization status' },
  { group: 'karpenter.k8s.aws', resource: 'ec2nodeclasses', verbs: ['get', 'list', 'watch', 'update'], scope: 'cluster', why: 'EC2NodeClass cache, finalizer' },
  { group: 'karpenter.k8s.aws', resource: 'ec2nodeclasses/status', verbs: ['update'], scope: 'cluster', why: 'resolved subnets, security groups, AMIs, readiness' },
  { group: 'coordination.k8s.io', resource: 'leases', verbs: ['create'], scope: 'release-namespace', why: 'leader election: the first replica creates the Lease' },
  { group: 'coordination.k8s.io', resource: 'leases', verbs: ['get', 'update'], scope: 'release-namespace', resourceName: '<release>-leader-election', why: 'leader election: acquire and renew' },
];

export function resourceNameFor(permission: Permission, release: string): string | undefined {
  return permission.resourceName?.replace('<release>', release);
}

export interface Forbidden {
  readonly group: string;
  readonly resource: string;
  readonly verb: string;
  /** Namespace of the check; undefined = cluster-wide (all namespaces). */
  readonly namespace?: string;
  readonly name?: string;
}

/** Things a compromised controller pod must not be able to do. `release` stands for the release namespace. */
export const forbiddenPermissions: readonly Forbidden[] = [
  { group: '', resource: 'secrets', verb: 'get' },
  { group: '', resource: 'secrets', verb: 'list' },
  { group: '', resource: 'secrets', verb: 'list', namespace: 'release' },
  { group: '', resource: 'namespaces', verb: 'delete' },
  { group: '', resource: 'pods', verb: 'create' },
  { group: '', resource: 'pods/exec', verb: 'create' },
  { group: '', resource: 'serviceaccounts/token', verb: 'create', namespace: 'release' },
  { group: '', resource: 'configmaps', verb: 'update', namespace: 'kube-system' },
  { group: 'apps', resource: 'deployments', verb: 'update', namespace: 'release' },
  { group: 'apps', resource: 'daemonsets', verb: 'delete' },
  { group: '', resource: 'nodes', verb: 'create' },
  { group: 'karpenter.sh', resource: 'nodepools', verb: 'update' },
  { group: 'karpenter.k8s.aws', resource: 'ec2nodeclasses', verb: 'delete' },
  { group: 'coordination.k8s.io', resource: 'leases', verb: 'update', namespace: 'kube-system' },
  { group: 'coordination.k8s.io', resource: 'leases', verb: 'update', namespace: 'release', name: 'kube-controller-manager' },
  { group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions', verb: 'delete' },
  { group: 'rbac.authorization.k8s.io', resource: 'clusterroles', verb: 'escalate' },
  { group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings', verb: 'create' },
];
