import type { NodeClaim, NodePool } from '@karpenter-ts/api';
import { Finalizers, Labels } from '@karpenter-ts/api';
import { formatQuantity, type NodeClaimPlan } from '@karpenter-ts/solver';

/**
 * The NodeClaim to create for a plan of the solver: owned by its NodePool, with the pool's
 * template labels and annotations, the plan's requirements (instance types cheapest first),
 * taints, startup taints and resource requests, and the termination finalizer.
 */
export function nodeClaimFor(plan: NodeClaimPlan, nodePool: NodePool): NodeClaim {
  const poolName = nodePool.metadata.name!;
  const template = nodePool.spec.template;
  const requests = Object.fromEntries(Object.entries(plan.requests).map(([resource, amount]) => [resource, formatQuantity(amount, resource)]));
  return {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodeClaim',
    metadata: {
      generateName: `${poolName}-`,
      labels: { ...template.metadata?.labels, ...plan.labels, [Labels.nodePool]: poolName },
      annotations: { ...template.metadata?.annotations },
      ownerReferences: [{ apiVersion: 'karpenter.sh/v1', kind: 'NodePool', name: poolName, uid: nodePool.metadata.uid, blockOwnerDeletion: true }],
      finalizers: [Finalizers.termination],
    },
    spec: {
      requirements: plan.requirements.map((r) => ({ ...r, values: r.values ? [...r.values] : undefined })) as NodeClaim['spec']['requirements'],
      taints: plan.taints.map((t) => ({ ...t })) as NodeClaim['spec']['taints'],
      startupTaints: plan.startupTaints.map((t) => ({ ...t })) as NodeClaim['spec']['startupTaints'],
      resources: { requests },
      nodeClassRef: { ...template.spec.nodeClassRef },
      expireAfter: template.spec.expireAfter,
      ...(template.spec.terminationGracePeriod ? { terminationGracePeriod: template.spec.terminationGracePeriod } : {}),
    },
  } as NodeClaim;
}
