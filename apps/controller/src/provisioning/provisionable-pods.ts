import type { V1Pod } from '@kubernetes/client-node';

/**
 * A pod Karpenter provisions for: kube-scheduler marked it PodScheduled=False/Unschedulable,
 * it is not bound, not terminating, not finished, and not a DaemonSet pod (those follow nodes).
 */
export function isProvisionable(pod: V1Pod): boolean {
  if (pod.spec?.nodeName || pod.metadata?.deletionTimestamp) return false;
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return false;
  if (pod.metadata?.ownerReferences?.some((o) => o.kind === 'DaemonSet' && o.controller)) return false;
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  return scheduled?.status === 'False' && scheduled.reason === 'Unschedulable';
}
