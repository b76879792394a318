import type { InstanceType, NodeClaim, NodePool } from '@karpenter-ts/api';
import { Labels, NodeClaimConditionTypes } from '@karpenter-ts/api';
import type { ClusterNode, InFlightNodeClaim, SchedulingInput } from '@karpenter-ts/solver';
import type { V1Pod } from '@kubernetes/client-node';
import type { ClusterState } from '../cluster/cluster-state.js';
import { isTrue } from '../conditions/conditions.js';
import type { Nominations } from './nominations.js';

/** How long a pod stays nominated to a NodeClaim after its Node initialized, before it is scheduled afresh. */
const nominationGraceMs = 60_000;

/** True while a NodeClaim can still receive the pods nominated to it. */
export function isNominationTarget(nodeClaim: NodeClaim | undefined, now: number): boolean {
  if (!nodeClaim || nodeClaim.metadata.deletionTimestamp) return false;
  const initialized = nodeClaim.status?.conditions?.find((c) => c.type === NodeClaimConditionTypes.initialized);
  return !(initialized?.status === 'True' && now - Date.parse(initialized.lastTransitionTime) > nominationGraceMs);
}

/**
 * Builds the solver's input from the cluster state: the pending pods not already nominated to
 * a live NodeClaim, the nodes with their pods (bound and nominated), in-flight NodeClaims with
 * the pods nominated to them, the ready NodePools and their instance types, DaemonSets and the
 * zones of bound volumes.
 */
export function schedulingSnapshot(
  state: ClusterState,
  pending: readonly V1Pod[],
  nodePools: readonly NodePool[],
  instanceTypes: Readonly<Record<string, readonly InstanceType[]>>,
  nominations: Nominations,
): SchedulingInput {
  const podsByUid = new Map(state.pods.list().map((p) => [p.metadata?.uid ?? '', p]));
  const podsByNode = new Map<string, V1Pod[]>();
  for (const pod of podsByUid.values()) {
    const nodeName = pod.spec?.nodeName;
    if (!nodeName || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
    podsByNode.set(nodeName, [...(podsByNode.get(nodeName) ?? []), pod]);
  }
  // Pods nominated to a live NodeClaim stay reserved there (on its Node once registered) until
  // kube-scheduler binds them, so a later round does not provision for them again.
  const reserved = new Set<string>();
  const inFlight: InFlightNodeClaim[] = [];
  const deletingNodes = new Set<string>();
  for (const nodeClaim of state.nodeClaims.list()) {
    const nodeName = nodeClaim.status?.nodeName;
    if (nodeClaim.metadata.deletionTimestamp) {
      if (nodeName) deletingNodes.add(nodeName);
      continue;
    }
    const nominated = nominations.podsOf(nodeClaim.metadata.name!).map((uid) => podsByUid.get(uid)).filter((p): p is V1Pod => !!p && !p.spec?.nodeName);
    for (const pod of nominated) reserved.add(pod.metadata!.uid!);
    if (nodeName) podsByNode.set(nodeName, [...(podsByNode.get(nodeName) ?? []), ...nominated]);
    else inFlight.push({ nodeClaim: nodeClaim as InFlightNodeClaim['nodeClaim'], pods: nominated as InFlightNodeClaim['pods'] });
  }
  const nodes: ClusterNode[] = state.nodes.list().map((node) => ({
    node: node as ClusterNode['node'],
    pods: (podsByNode.get(node.metadata!.name!) ?? []) as ClusterNode['pods'],
    markedForDeletion: !!node.metadata?.deletionTimestamp || deletingNodes.has(node.metadata!.name!),
  }));
  return {
    pods: pending.filter((p) => !reserved.has(p.metadata!.uid!)) as SchedulingInput['pods'],
    nodes,
    nodeClaims: inFlight,
    nodePools: nodePools as SchedulingInput['nodePools'],
    instanceTypes,
    daemonSets: state.daemonSets.list() as SchedulingInput['daemonSets'],
    volumeZones: volumeZones(state),
  };
}

/** Zones of bound PersistentVolumes, by `namespace/claim`, from the PV's node affinity. */
function volumeZones(state: ClusterState): Record<string, string[]> {
  const zones: Record<string, string[]> = {};
  for (const claim of state.persistentVolumeClaims.list()) {
    const volumeName = claim.spec?.volumeName;
    if (!volumeName) continue;
    const volume = state.persistentVolumes.get(volumeName);
    const terms = volume?.spec?.nodeAffinity?.required?.nodeSelectorTerms ?? [];
    const values = terms.flatMap((t) => (t.matchExpressions ?? []).filter((e) => e.key === Labels.zone && e.operator === 'In').flatMap((e) => e.values ?? []));
    if (values.length) zones[`${claim.metadata?.namespace}/${claim.metadata?.name}`] = [...new Set(values)];
  }
  return zones;
}

/** Why a NodePool is not used for provisioning, or undefined when it is ready. */
export function nodePoolNotReadyReason(nodePool: NodePool): string | undefined {
  if (nodePool.metadata.deletionTimestamp) return 'is being deleted';
  if (isTrue(nodePool.status?.conditions, 'Ready')) return undefined;
  const ready = nodePool.status?.conditions?.find((c) => c.type === 'Ready');
  return ready ? `is not ready (${ready.reason}${ready.message ? `: ${ready.message}` : ''})` : 'is not ready yet (its status has not been computed)';
}
