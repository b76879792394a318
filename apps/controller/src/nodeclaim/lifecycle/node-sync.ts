import type { NodeClaim } from '@karpenter-ts/api';
import { Labels, Taints } from '@karpenter-ts/api';
import type { V1Node, V1Taint } from '@kubernetes/client-node';

const sameTaint = (a: { key: string; effect: string }, b: { key: string; effect: string }) => a.key === b.key && a.effect === b.effect;

/**
 * The Node as it should be once it registers for the NodeClaim: the NodeClaim's labels, the
 * registered label, its taints (and startup taints, applied once at registration), the
 * unregistered taint removed, and an owner reference to the NodeClaim. Returns undefined when
 * the Node already looks like that.
 */
export function registeredNode(node: V1Node, nodeClaim: NodeClaim): V1Node | undefined {
  const next = structuredClone(node);
  next.metadata ??= {};
  const labels = { ...next.metadata.labels, ...nodeClaim.metadata.labels, [Labels.registered]: 'true' };
  next.metadata.labels = labels;

  let taints: V1Taint[] = (next.spec?.taints ?? []).filter((t) => !sameTaint(t, Taints.unregistered));
  const firstRegistration = node.metadata?.labels?.[Labels.registered] !== 'true';
  const wanted = [...(nodeClaim.spec.taints ?? []), ...(firstRegistration ? (nodeClaim.spec.startupTaints ?? []) : [])];
  for (const taint of wanted) {
    if (!taints.some((t) => sameTaint(t, taint))) taints = [...taints, { key: taint.key, value: taint.value, effect: taint.effect }];
  }
  next.spec = { ...next.spec, taints };

  const owners = next.metadata.ownerReferences ?? [];
  if (!owners.some((o) => o.uid === nodeClaim.metadata.uid)) {
    next.metadata.ownerReferences = [
      ...owners,
      { apiVersion: 'karpenter.sh/v1', kind: 'NodeClaim', name: nodeClaim.metadata.name!, uid: nodeClaim.metadata.uid!, blockOwnerDeletion: true },
    ];
  }
  return JSON.stringify(next) === JSON.stringify(node) ? undefined : next;
}

/** Why the Node is not initialized yet, or undefined when it is (Ready, startup taints gone, extended resources registered). */
export function notInitializedReason(node: V1Node, nodeClaim: NodeClaim): string | undefined {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready?.status !== 'True') return 'node is not Ready';
  const startup = (nodeClaim.spec.startupTaints ?? []).filter((s) => (node.spec?.taints ?? []).some((t) => sameTaint(t, s)));
  if (startup.length) return `startup taints still present: ${startup.map((t) => `${t.key}:${t.effect}`).join(', ')}`;
  const extended = Object.keys(nodeClaim.spec.resources?.requests ?? {}).filter((r) => r.includes('/'));
  const missing = extended.filter((r) => !node.status?.allocatable?.[r] || node.status.allocatable[r] === '0');
  if (missing.length) return `extended resources not registered yet: ${missing.join(', ')}`;
  return undefined;
}
